"""Reading one comment: language, sentiment, framework elements, themes and emotions.

Python over word lists the project writes and ships in `data/` (no model is downloaded): a
polarity lexicon per language matched on word stems (Finnish and Swedish inflect, so a stem matches
every form that starts with it), negation ("ei ollut hyvä", "inte bra", "not good") flips and damps
the polarity of the next words of the same clause, and after a contrast word ("mutta", "men", "but")
the rest of the comment weighs more. The lexicon's verdict feeds the sentiment classifier
(`classifier.py`, trained on the shipped training comments). Themes, elements and emotions are stem
lists per language.
"""

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("fi", "sv", "en")
# Longer comments are cut to this many characters before analysis (and the result says so).
MAX_CHARS = 4000
# Compound score at or beyond ±this is positive/negative; fixed a priori, not fitted to the evaluation set.
POLARITY_THRESHOLD = 0.2
ANALYSER_VERSION = 3

NEGATORS = {
    "fi": {"ei", "en", "et", "emme", "ette", "eivät", "eikä", "enkä", "ilman"},
    "sv": {"inte", "ej", "aldrig", "ingen", "inget", "inga", "utan", "varken"},
    "en": {
        "not",
        "no",
        "never",
        "nothing",
        "without",
        "nor",
        "neither",
        "hardly",
        "isn't",
        "wasn't",
        "didn't",
        "don't",
        "doesn't",
        "won't",
        "couldn't",
        "can't",
        "weren't",
        "aren't",
        "haven't",
        "hasn't",
        "cannot",
    },
}
CONTRASTS = {"fi": {"mutta", "kuitenkin", "silti"}, "sv": {"men", "dock", "ändå"}, "en": {"but", "however", "yet"}}
INTENSIFIERS = {
    "fi": {"todella", "erittäin", "tosi", "niin", "aivan", "hyvin", "super", "äärimmäisen", "täysin", "ihan"},
    "sv": {"väldigt", "mycket", "jätte", "otroligt", "riktigt", "helt", "så", "extremt"},
    "en": {"very", "really", "extremely", "so", "totally", "incredibly", "absolutely", "truly", "super"},
}
STOPWORDS = {
    "fi": set(
        [
            "ja",
            "on",
            "oli",
            "ei",
            "että",
            "se",
            "en",
            "mutta",
            "kun",
            "niin",
            "myös",
            "kanssa",
            "minä",
            "minulle",
            "minun",
            "asia",
            "asiani",
            "erittäin",
            "todella",
            "vielä",
            "jo",
            "nyt",
            "sain",
            "kiitos",
            "hyvin",
            "olisi",
            "ollut",
            "olin",
            "tämä",
            "tuo",
            "siitä",
            "sitä",
            "joka",
            "mitä",
            "kuin",
            "koska",
            "jos",
            "ole",
            "palvelu",
            "asiakas",
            "aina",
            "sitten",
            "vaan",
            "vain",
            "ihan",
            "tosi",
            "kyllä",
        ]
    ),
    "sv": set(
        [
            "och",
            "är",
            "var",
            "inte",
            "att",
            "det",
            "en",
            "ett",
            "men",
            "som",
            "jag",
            "mig",
            "min",
            "mitt",
            "med",
            "på",
            "för",
            "till",
            "av",
            "mycket",
            "bra",
            "tack",
            "fick",
            "hade",
            "har",
            "om",
            "så",
            "kunde",
            "blev",
            "kan",
            "vi",
            "ni",
            "de",
            "den",
            "du",
            "sig",
            "från",
            "när",
            "också",
            "alla",
            "bara",
            "väldigt",
            "inget",
            "ingen",
        ]
    ),
    "en": set(
        [
            "and",
            "is",
            "was",
            "not",
            "the",
            "a",
            "an",
            "to",
            "of",
            "i",
            "my",
            "me",
            "it",
            "but",
            "with",
            "for",
            "on",
            "very",
            "had",
            "have",
            "they",
            "this",
            "that",
            "were",
            "be",
            "been",
            "got",
            "could",
            "would",
            "so",
            "you",
            "we",
            "our",
            "from",
            "at",
            "when",
            "also",
            "just",
            "really",
            "no",
            "thank",
            "thanks",
        ]
    ),
}
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[.!?;:,]")
CLAUSE_END = {".", "!", "?", ";", ":", ","}
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class CommentResult:
    status: str  # ok / empty / not_text
    language: str
    language_detected: bool
    sentiment: str  # negative / neutral / positive
    score: float  # −1 … 1
    elements: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    truncated: bool = False
    note: str = ""
    mixed_languages: tuple[str, ...] = field(default=())
    confidence: float | None = None  # the classifier's probability of `sentiment`; None: lexicon only


class StemTable:
    """Stems to values: whole words, word prefixes, word pairs, and literal symbols (e.g. "€")."""

    def __init__(self, entries: dict[str, object]):
        self.whole: dict[str, object] = {}
        self.prefix: dict[str, object] = {}
        self.phrases: dict[str, object] = {}
        self.symbols: dict[str, object] = {}
        for stem, value in entries.items():
            stem = stem.lower()
            if stem.endswith("$"):
                self.whole[stem[:-1]] = value
            elif stem.endswith(" ") and " " not in stem.strip():
                self.whole[stem.strip()] = value
            elif " " in stem.strip():
                self.phrases[stem.strip()] = value
            elif not any(ch.isalpha() for ch in stem):
                self.symbols[stem] = value
            else:
                self.prefix[stem] = value
        self.longest = max((len(s) for s in self.prefix), default=0)

    def longest_match(self, word: str):
        if word in self.whole:
            return self.whole[word]
        for end in range(min(len(word), self.longest), 2, -1):
            value = self.prefix.get(word[:end])
            if value is not None:
                return value
        return None

    def all_matches(self, word: str) -> list:
        found = [self.whole[word]] if word in self.whole else []
        for end in range(min(len(word), self.longest), 2, -1):
            value = self.prefix.get(word[:end])
            if value is not None:
                found.append(value)
        return found


@cache
def _polarity(language: str) -> StemTable:
    entries: dict[str, float] = {}
    for line in (DATA / f"lexicon_{language}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stem, value = line.rsplit("\t", 1)
        entries[stem] = float(value)
    return StemTable(entries)


@cache
def _topic_tables() -> dict[str, dict[str, StemTable]]:
    """{"elements"/"themes"/"emotions": {language: StemTable(stem -> frozenset of codes)}}."""
    raw = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))
    tables: dict[str, dict[str, StemTable]] = {}
    for group in ("elements", "themes", "emotions"):
        tables[group] = {}
        for language in LANGUAGES:
            stems: dict[str, frozenset] = {}
            for code, per_language in raw[group].items():
                for stem in per_language.get(language, ()):
                    stems[stem] = stems.get(stem, frozenset()) | {code}
            tables[group][language] = StemTable(stems)
    return tables


def topic_codes(group: str) -> list[str]:
    raw = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))
    return list(raw[group])


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


# The character model (py3langid: naive Bayes over byte n-grams, its model ships inside the wheel)
# decides when it is sure; on a few words it is not, and Finnish/Swedish/English function words decide.
LANGUAGE_SURE = 0.8
LANGUAGE_LIKELY = 0.5
SEGMENT_SURE = 0.95  # a clause counts towards a mixed-language comment only when this clear…
SEGMENT_WORDS = 3  # …and at least this long
# Clauses: split at punctuation and before a contrast word, where code-switching usually happens.
_CONTRAST_WORDS = "|".join(sorted({word for words in CONTRASTS.values() for word in words}))
SEGMENT = re.compile(rf"[.!?;:,\n]+|\s+(?=(?:{_CONTRAST_WORDS})\b)", re.IGNORECASE)


@cache
def _language_model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _function_word_language(words: list[str], text: str) -> str | None:
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for word in words:
        for language in LANGUAGES:
            if word in STOPWORDS[language]:
                scores[language] += 1
        if len(word) > 4 and word.endswith(
            ("ssa", "ssä", "sta", "stä", "lla", "llä", "lle", "ksi", "ään", "aan", "ni")
        ):
            scores["fi"] += 0.4
    if "å" in text:
        scores["sv"] += 2
    if ("ä" in text or "ö" in text) and "å" not in text:
        scores["fi"] += 0.5
    best = max(scores, key=scores.get)
    return best if scores[best] >= 1 else None


def _clauses(text: str) -> list[tuple[str, str | None]]:
    """Each clause with its language where it is long and clear enough to say, else None."""
    found = []
    for segment in SEGMENT.split(text):
        language = None
        if sum(1 for w in tokenize(segment) if w not in CLAUSE_END) >= SEGMENT_WORDS:
            told, confidence = _language_model().classify(segment)
            language = told if confidence >= SEGMENT_SURE else None
        found.append((segment, language))
    return found


def _language_reading(words: list[str], text: str) -> tuple[str | None, tuple[str, ...], list]:
    """(language or None, mixed languages or (), the clauses with their languages)."""
    language, confidence = _language_model().classify(text)
    if confidence < LANGUAGE_SURE:
        language = _function_word_language(words, text) or (language if confidence >= LANGUAGE_LIKELY else None)
    if language is None:
        return None, (), []
    clauses = _clauses(text)
    others = {lang for _segment, lang in clauses if lang} - {language}
    return language, (language, *sorted(others, key=LANGUAGES.index)) if others else (), clauses


def detect_language(words: list[str], text: str) -> tuple[str | None, tuple[str, ...]]:
    """The likeliest of fi/sv/en, or None when there is no evidence.

    Also returns the languages of a mixed-language comment (clauses clearly in different languages),
    the comment's own language first."""
    language, mixed, _clauses_read = _language_reading(words, text)
    return language, mixed


def _sentiment(words: list[str], language: str) -> float:
    table = _polarity(language)
    negators, contrasts, intensifiers = NEGATORS[language], CONTRASTS[language], INTENSIFIERS[language]
    total = 0.0
    since_negation = None  # words since the last negator within this clause
    weight = 1.0
    boost = 1.0
    skip = False
    pending = 0.0
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        if since_negation is not None and since_negation >= NEGATION_WINDOW or word in CLAUSE_END:
            total, pending = total + pending, 0.0
        if word in CLAUSE_END:
            since_negation = None
            if word == "!":
                total *= 1.1
            continue
        if word in contrasts:
            total *= 0.5  # what comes before "but" counts less…
            weight = 1.5  # …and what comes after more
            since_negation = None
            continue
        if word in negators or word.endswith("n't"):
            since_negation = 0
            continue
        if word in intensifiers:
            boost = 1.3
            continue
        value = None
        if i + 1 < len(words):
            value = table.phrases.get(f"{word} {words[i + 1]}")
            skip = value is not None
        if value is None:
            value = table.longest_match(word)
        negated = since_negation is not None and since_negation < NEGATION_WINDOW
        if value:
            value *= boost * weight
            if negated:
                value *= -0.75
                since_negation = NEGATION_WINDOW  # one negation flips one word
                pending = 0.0
            total += value
        elif negated and since_negation == 0:
            # In feedback "it did not X" reports something that failed to happen: mildly negative,
            # unless a polar word follows within the window and carries the negation itself.
            pending = -1.0 * weight
        elif language == "fi" and word.endswith(("matta", "mättä")) and len(word) > 7:
            total -= 1.0 * weight  # "korjaamatta", "vastaamatta": left undone
        boost = 1.0
        if since_negation is not None:
            since_negation += 1
    total += pending
    return total / math.sqrt(total * total + 15)


def _label(score: float) -> str:
    return "positive" if score >= POLARITY_THRESHOLD else "negative" if score <= -POLARITY_THRESHOLD else "neutral"


def lexicon_label(words: list[str], language: str) -> str:
    return _label(_sentiment(words, language))


def _classify(parts: list[tuple[str, list[str]]]) -> tuple[str, float, float | None]:
    """(label, score −1…1, confidence) over the comment's parts, one per language, weighted by their words.

    The label is the classifier's most probable class, the confidence its probability, and the score
    P(positive) − P(negative), so label and score never disagree in sign; without training data the
    lexicon's compound score decides both and there is no confidence."""
    from .classifier import CLASSES, classify

    total = sum(len(words) for _, words in parts)
    lexicon = sum(len(words) / total * _sentiment(words, language) for language, words in parts)
    mean = dict.fromkeys(CLASSES, 0.0)
    for language, words in parts:
        p = classify(words, language)
        if p is None:  # no training comments in this language
            return _label(lexicon), round(lexicon, 4), None
        for label in CLASSES:
            mean[label] += len(words) / total * p[label]
    label = max(mean, key=mean.get)
    return label, round(mean["positive"] - mean["negative"], 4), round(mean[label], 4)


def _parts(words: list[str], language: str, mixed: tuple[str, ...], clauses: list) -> list[tuple[str, list[str]]]:
    """The comment's words by language: clauses clearly in another language are read in that language."""
    if not mixed:
        return [(language, words)]
    by_language: dict[str, list[str]] = {}
    for segment, clear in clauses:
        tokens = tokenize(segment)
        if tokens:
            by_language.setdefault(clear or language, []).extend([*tokens, "."])
    return list(by_language.items())


# Waiting verbs also speak of expectations: "parempi kuin odotin" (better than I expected),
# "odotettua nopeampi", "bättre än väntat". Such words say nothing about waiting time.
EXPECTATION_AFTER = {"fi": ("kuin", "odot"), "sv": ("än", "vänta"), "en": ("than", "expect")}
EXPECTATION_WORDS = {"fi": ("odotet", "odotus", "odotuks", "odotukse"), "sv": (), "en": ()}


def _without_expectations(words: list[str], language: str) -> list[str]:
    after, stem = EXPECTATION_AFTER[language]
    return [
        word
        for i, word in enumerate(words)
        if not (i and words[i - 1] == after and word.startswith(stem))
        and not word.startswith(EXPECTATION_WORDS[language] or ("\0",))
    ]


def _codes(group: str, words: list[str], text: str, language: str) -> tuple[str, ...]:
    if group == "themes":
        words = _without_expectations(words, language)
    table = _topic_tables()[group][language]
    found: set[str] = set()
    for word in words:
        for codes in table.all_matches(word):
            found |= codes
    if table.phrases:
        joined = " " + " ".join(words) + " "
        for phrase, codes in table.phrases.items():
            if f" {phrase} " in joined or phrase in joined:
                found |= codes
    for symbol, codes in table.symbols.items():
        if symbol in text:
            found |= codes
    order = topic_order(group)
    return tuple(sorted(found, key=order.index))


@cache
def topic_order(group: str) -> list[str]:
    return topic_codes(group)


def _clean(text) -> str:
    if not isinstance(text, str):
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else ""
    # Drop control characters (binary junk) but keep line breaks as spaces.
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).strip()


def comment_analyse(text, *, fallback_language: str = "fi") -> CommentResult:
    """Analyse one comment. Never raises on odd input: empty, non-text or over-long comments get a status."""
    fallback = fallback_language if fallback_language in LANGUAGES else "fi"
    text = _clean(text)
    if not text:
        return CommentResult("empty", fallback, False, "neutral", 0.0, note="empty")
    truncated = len(text) > MAX_CHARS
    if truncated:
        text = text[:MAX_CHARS]
    words = tokenize(text)
    if not any(w not in CLAUSE_END for w in words):
        return CommentResult("not_text", fallback, False, "neutral", 0.0, truncated=truncated, note="no words")
    detected, mixed, clauses = _language_reading(words, text)
    language = detected or fallback
    sentiment, score, confidence = _classify(_parts(words, language, mixed, clauses))
    languages = mixed or (language,)
    elements, themes, emotions = (
        tuple(dict.fromkeys(c for lang in languages for c in _codes(group, words, text, lang)))
        for group in ("elements", "themes", "emotions")
    )
    note = "; ".join(
        filter(None, [f"mixed languages: {', '.join(mixed)}" if mixed else "", "truncated" if truncated else ""])
    )
    return CommentResult(
        "ok",
        language,
        detected is not None,
        sentiment,
        score,
        elements,
        themes,
        emotions,
        truncated,
        note,
        mixed,
        confidence,
    )
