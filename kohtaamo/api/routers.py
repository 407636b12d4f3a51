"""Every API router, in one list so that no module has to edit api.py to add one."""

ROUTERS: list = []

from . import encounters  # noqa: E402

ROUTERS.append(("/organisations", encounters.router))

from . import metrics  # noqa: E402

ROUTERS.append(("/organisations", metrics.router))

from kohtaamo.maturity import api as maturity_api  # noqa: E402

ROUTERS.append(("/organisations", maturity_api.router))

from kohtaamo.assessments import api as assessments_api  # noqa: E402

ROUTERS.append(("/organisations", assessments_api.router))

from kohtaamo.followup import api as followup_api  # noqa: E402
from kohtaamo.impact import api as impact_api  # noqa: E402
from kohtaamo.integrations import api as integrations_api  # noqa: E402

ROUTERS.append(("/organisations", followup_api.router))
ROUTERS.append(("/organisations", impact_api.router))
ROUTERS.append(("/organisations", integrations_api.router))

from kohtaamo.mystery import api as mystery_api  # noqa: E402

ROUTERS.append(("/organisations", mystery_api.router))

from kohtaamo.development import api as development_api  # noqa: E402
from kohtaamo.journeys import api as journeys_api  # noqa: E402
from kohtaamo.textanalytics import api as textanalytics_api  # noqa: E402

from . import organisation  # noqa: E402

ROUTERS.append(("/organisations", development_api.router))
ROUTERS.append(("/organisations", textanalytics_api.router))
ROUTERS.append(("/organisations", journeys_api.router))
ROUTERS.append(("/organisations", organisation.router))

# The submit operation joins the metrics router's /{org}/responses path (see responses.py).
from kohtaamo.staffexperience import api as staffexperience_api  # noqa: E402

from . import responses  # noqa: E402, F401

ROUTERS.append(("/organisations", staffexperience_api.router))

from kohtaamo.stakeholders import api as stakeholders_api  # noqa: E402

ROUTERS.append(("/organisations", stakeholders_api.router))
