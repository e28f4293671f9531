"""Activities (study visits, events, trainings, ...) and who took part in them."""

from __future__ import annotations

from schemas.columns import TEXT, Contract, column
from schemas.fields import Code, Count, Date, LongText, Name, SlugId

#: One programme activity (core.activity).
ACTIVITY = Contract(
    "Programme activities.",
    (
        SlugId(
            "activity_id",
            description="Stable identifier of the activity, e.g. 'sv-2023-guelph-velletri-01'.",
        ),
        Name("title", description="Title of the activity."),
        LongText(
            "description",
            nullable=True,
            description="Short description of the activity (plain text).",
        ),
        Code(
            "activity_type",
            description="Type from ref.activity_type (study_visit, training, webinar, ...).",
        ),
        Code("modality", description="Modality from ref.modality (in_person, online, hybrid)."),
        column(
            "status",
            TEXT,
            isin=["planned", "completed", "cancelled"],
            description="planned, completed or cancelled; a completed activity cannot end after today.",
        ),
        Date("start_date", description="First day of the activity (YYYY-MM-DD)."),
        Date(
            "end_date", description="Last day of the activity (YYYY-MM-DD); not before start_date."
        ),
        Code("network_id", description="Thematic network from ref.network."),
        Code(
            "subtheme_id",
            nullable=True,
            description="Subtheme from ref.subtheme; must belong to network_id.",
        ),
        Code(
            "cross_cutting_id",
            nullable=True,
            description="Cross-cutting challenge from ref.cross_cutting.",
        ),
        SlugId(
            "cooperation_id",
            nullable=True,
            description="Cooperation the activity belongs to (core.cooperation); empty for global-network activities.",
        ),
        SlugId(
            "host_city_id",
            nullable=True,
            description="City hosting the activity (core.city); empty for online activities.",
        ),
        Date(
            "reported_date",
            description="Date the record was entered (timeliness, K30); optional in files, defaults to the load date; not in the future.",
        ),
    ),
)


#: Attendance of one activity by one city's stakeholders of one type (core.participation).
#:
#: Counts only, never names: the programme keeps no personal data. With organisation_id a row is
#: one organisation's attendance, so one activity, city and stakeholder type may have several rows.
PARTICIPATION = Contract(
    "Participation in activities, by city and stakeholder type.",
    (
        SlugId("activity_id", description="Activity attended; must exist in core.activity."),
        SlugId("city_id", description="City the participants came from; must exist in core.city."),
        Code("stakeholder_type", description="Stakeholder type from ref.stakeholder_type."),
        Count("participants", description="Person-attendances (people present)."),
        Count(
            "women",
            nullable=True,
            description="Of whom women; empty when not declared; not more than participants.",
        ),
        Count(
            "organisations",
            nullable=True,
            description="Distinct organisations represented in this row.",
        ),
        Count(
            "completions",
            nullable=True,
            description="Trainings: participants who completed; not more than participants.",
        ),
        SlugId(
            "organisation_id",
            nullable=True,
            description=(
                "Stable slug of the one organisation this row counts (e.g. 'turin-it-city-council'; an "
                "organisation is not personal data), so distinct organisations can be counted exactly; "
                "with it, organisations is 1 or empty. Empty: the row may cover several organisations."
            ),
        ),
    ),
)
