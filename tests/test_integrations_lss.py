"""Import of a LimeSurvey survey structure written in LimeSurvey's own .lss format (LimeSurvey 3 style:
wording rows per language), with Finnish, Swedish and English texts."""

from kohtaamo.instruments.models import Item, Question
from kohtaamo.integrations.limesurvey import lss_parse, questionnaire_import_lss


def _row(**columns) -> str:
    return "<row>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in columns.items()) + "</row>"


def lss_document() -> bytes:
    texts = {
        "Q1": {
            "fi": "Kuinka todennäköisesti suosittelisit meitä?",
            "sv": "Hur troligt är det att du rekommenderar oss?",
            "en": "How likely are you to recommend us?",
        },
        "Q2": {
            "fi": "Asiantuntija kuunteli minua.",
            "sv": "Experten lyssnade på mig.",
            "en": "The expert listened to me.",
        },
        "Q3": {"fi": "Mitä voisimme parantaa?", "sv": "Vad kunde vi förbättra?", "en": "What could we improve?"},
        "Q4": {"fi": "Valitse palvelut", "sv": "Välj tjänster", "en": "Choose services"},
    }
    kinds = {"Q1": "L", "Q2": "5", "Q3": "T", "Q4": "M"}
    questions = []
    for number, (code, per_language) in enumerate(texts.items(), start=1):
        for language, text in per_language.items():
            questions.append(
                _row(
                    qid=number,
                    parent_qid=0,
                    sid=123456,
                    gid=10,
                    type=kinds[code],
                    title=code,
                    question=f"<p>{text}</p>",
                    preg="",
                    help="",
                    other="N",
                    mandatory="Y",
                    question_order=number,
                    language=language,
                    scale_id=0,
                    same_default=0,
                    relevance=1,
                )
            )
    answers = [
        _row(qid=1, code=str(v), answer=f"{v}", sortorder=v, assessment_value=0, language=lang, scale_id=0)
        for v in range(11)
        for lang in ("fi", "sv", "en")
    ]
    settings = [
        _row(surveyls_survey_id=123456, surveyls_language=lang, surveyls_title=title)
        for lang, title in {"fi": "Asiakaskysely", "sv": "Kundenkät", "en": "Customer survey"}.items()
    ]
    group = _row(gid=10, sid=123456, group_name="Palaute", group_order=0, language="fi")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>366</DBVersion>
 <languages><language>fi</language><language>sv</language><language>en</language></languages>
 <answers><fields><fieldname>qid</fieldname><fieldname>code</fieldname><fieldname>answer</fieldname><fieldname>sortorder</fieldname><fieldname>assessment_value</fieldname><fieldname>language</fieldname><fieldname>scale_id</fieldname></fields>
  <rows>{"".join(answers)}</rows></answers>
 <groups><fields><fieldname>gid</fieldname></fields><rows>{group}</rows></groups>
 <questions><fields><fieldname>qid</fieldname></fields><rows>{"".join(questions)}</rows></questions>
 <surveys_languagesettings><fields><fieldname>surveyls_survey_id</fieldname></fields><rows>{"".join(settings)}</rows></surveys_languagesettings>
</document>""".encode()


def test_lss_parse_reads_types_scales_and_three_languages():
    survey = lss_parse(lss_document())
    assert survey.languages == ["fi", "sv", "en"]
    assert [q.code for q in survey.questions] == ["Q1", "Q2", "Q3", "Q4"]
    q1, q2, q3, q4 = survey.questions
    assert q1.scale == (0, 10) and q2.scale == (1, 5) and q3.is_text and q4.scale is None
    assert q1.texts["sv"] == "<p>Hur troligt är det att du rekommenderar oss?</p>"
    assert survey.title["en"] == "Customer survey"


def test_lss_import_maps_chosen_questions_to_framework_items(world, framework):
    survey = lss_parse(lss_document())
    nps_item = Item.objects.get(framework=framework, dimensions__code="nps")
    listening = Item.objects.filter(framework=framework, dimensions__code="listening").first()
    questionnaire, skipped = questionnaire_import_lss(
        organisation=world.organisation,
        framework=framework,
        survey=survey,
        mapping={"Q1": nps_item, "Q2": listening},
        key="ls-import",
    )
    assert skipped == ["Q4"]  # multiple choice is not supported
    questions = list(questionnaire.questions.order_by("order"))
    assert [(q.kind, q.item_id) for q in questions] == [
        (Question.Kind.ITEM, nps_item.pk),
        (Question.Kind.ITEM, listening.pk),
        (Question.Kind.OPEN, None),
    ]
    assert questions[0].texts == {
        "fi": "Kuinka todennäköisesti suosittelisit meitä?",
        "sv": "Hur troligt är det att du rekommenderar oss?",
        "en": "How likely are you to recommend us?",
    }
    assert (questions[0].scale_min, questions[0].scale_max) == (0, 10)
    assert (questions[1].scale_min, questions[1].scale_max) == (1, 5)
    assert questionnaire.names["sv"] == "Kundenkät" and questionnaire.version == 1


def test_lss_import_page_maps_and_creates(client, world, framework):
    client.force_login(world.cx_lead)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/o/acme/integrations/limesurvey/"
    page = client.post(
        url, {"file": SimpleUploadedFile("s.lss", lss_document()), "key": "ls"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200 and b'name="map-Q1"' in page.content and b"Kundenk" in page.content
    nps_item = Item.objects.get(framework=framework, dimensions__code="nps")
    done = client.post(url, {"xml": lss_document().decode(), "key": "ls", "map-Q1": nps_item.code})
    assert done.status_code == 302
    assert world.organisation.questionnaires.get(key="ls").questions.count() == 2  # Q1 and the open Q3
