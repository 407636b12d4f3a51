"""Display names of the codes text analytics uses."""

from django.utils.translation import gettext_lazy as _

TOPIC_LABELS = {
    "listening": _("Active listening"),
    "expertise": _("Expertise"),
    "value": _("Value"),
    "trust": _("Trust"),
    "solution": _("Solution orientation"),
    "waiting_time": _("Waiting time"),
    "price": _("Price"),
    "digital_service": _("Digital service"),
    "reachability": _("Reachability"),
    "staff_attitude": _("Staff attitude"),
    "information": _("Information and instructions"),
    "premises": _("Premises"),
    "gratitude": _("Gratitude"),
    "joy": _("Joy"),
    "relief": _("Relief"),
    "frustration": _("Frustration"),
    "disappointment": _("Disappointment"),
    "worry": _("Worry"),
    "confusion": _("Confusion"),
}
METRIC_LABELS = {
    "employee_talk_share": _("Employee talk share"),
    "longest_monologue_words": _("Longest monologue (words)"),
    "longest_monologue_seconds": _("Longest monologue (seconds)"),
    "questions_employee": _("Questions asked by the employee"),
    "questions_customer": _("Questions asked by the customer"),
    "customer_cut_offs": _("Customer turns cut off"),
    "summaries": _("Summaries of the customer's need"),
    "next_steps": _("Explicit next steps"),
    "concrete_share": _("Concrete language (share of sentences)"),
    "silence_seconds": _("Silence (seconds)"),
    "longest_silence_seconds": _("Longest silence (seconds)"),
    "silence_share": _("Silence share"),
}
TREND_LABELS = {
    "improving": _("improving"),
    "declining": _("declining"),
    "steady": _("steady"),
    "unknown": _("too few comments to tell"),
}


def topic_label(code: str) -> str:
    return str(TOPIC_LABELS.get(code, code))
