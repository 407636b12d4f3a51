"""The staff pulse statements as shipped. Each organisation gets its own copy (data, editable)."""

THEMES = ("motivation", "wellbeing", "means", "feedback")

DEFAULT_ITEMS: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "meaning",
        "motivation",
        {
            "fi": "Työni tuntuu merkitykselliseltä.",
            "sv": "Mitt arbete känns meningsfullt.",
            "en": "My work feels meaningful.",
        },
    ),
    (
        "autonomy",
        "motivation",
        {
            "fi": "Voin vaikuttaa siihen, miten teen työni.",
            "sv": "Jag kan påverka hur jag utför mitt arbete.",
            "en": "I have a say in how I do my work.",
        },
    ),
    (
        "growth",
        "motivation",
        {
            "fi": "Opin työssäni uutta ja kehityn.",
            "sv": "Jag lär mig nytt och utvecklas i mitt arbete.",
            "en": "I keep learning and growing in my work.",
        },
    ),
    (
        "wellbeing",
        "wellbeing",
        {
            "fi": "Voin hyvin työssäni.",
            "sv": "Jag mår bra i mitt arbete.",
            "en": "I feel well at work.",
        },
    ),
    (
        "workload",
        "wellbeing",
        {
            "fi": "Ehdin tehdä työni hyvin.",
            "sv": "Jag hinner göra mitt arbete ordentligt.",
            "en": "I have time to do my work properly.",
        },
    ),
    (
        "tools",
        "means",
        {
            "fi": "Minulla on ne välineet ja tiedot, joita tarvitsen palvellakseni asiakkaita hyvin.",
            "sv": "Jag har de verktyg och den information jag behöver för att betjäna kunderna väl.",
            "en": "I have the tools and information I need to serve customers well.",
        },
    ),
    (
        "empowerment",
        "means",
        {
            "fi": "Voin ratkaista asiakkaan asian ilman turhaa lupien kysymistä.",
            "sv": "Jag kan lösa kundens ärende utan att i onödan behöva be om lov.",
            "en": "I can resolve a customer's matter without asking for needless permission.",
        },
    ),
    (
        "feedback_reaches",
        "feedback",
        {
            "fi": "Asiakkaiden antama palaute tulee minun tietooni.",
            "sv": "Kundernas feedback når mig.",
            "en": "The feedback our customers give reaches me.",
        },
    ),
    (
        "sees_impact",
        "feedback",
        {
            "fi": "Näen, miten työni vaikuttaa asiakkaisiimme.",
            "sv": "Jag ser hur mitt arbete påverkar våra kunder.",
            "en": "I can see how my work affects our customers.",
        },
    ),
)

COMMENT_ITEM = (
    "comment",
    "comment",
    {
        "fi": "Haluatko kertoa jotain muuta? (vapaaehtoinen)",
        "sv": "Vill du berätta något mer? (frivilligt)",
        "en": "Is there anything else you would like to tell us? (optional)",
    },
)

SCALE_MIN, SCALE_MAX = 1, 5
TOP_BOX_FROM = 4  # "agree" and "strongly agree"
