"""Activities (study visits, events, trainings, ...) and who took part in them."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.fields import Code, Count, Date, LongText, Name, SlugId
from schemas.types import DateCol, Int, Text


class Activity(pa.DataFrameModel):
    """One programme activity (core.activity)."""

    activity_id: Text = SlugId(
        description="Stable identifier of the activity, e.g. 'sv-2023-guelph-velletri-01'."
    )
    title: Text = Name(description="Title of the activity.")
    description: Text = LongText(
        nullable=True, description="Short description of the activity (plain text)."
    )
    activity_type: Text = Code(
        description="Type from ref.activity_type (study_visit, training, webinar, ...)."
    )
    modality: Text = Code(description="Modality from ref.modality (in_person, online, hybrid).")
    status: Text = pa.Field(
        isin=["planned", "completed", "cancelled"],
        description="planned, completed or cancelled; a completed activity cannot end after today.",
    )
    start_date: DateCol = Date(description="First day of the activity (YYYY-MM-DD).")
    end_date: DateCol = Date(
        description="Last day of the activity (YYYY-MM-DD); not before start_date."
    )
    network_id: Text = Code(description="Thematic network from ref.network.")
    subtheme_id: Text = Code(
        nullable=True, description="Subtheme from ref.subtheme; must belong to network_id."
    )
    cross_cutting_id: Text = Code(
        nullable=True, description="Cross-cutting challenge from ref.cross_cutting."
    )
    cooperation_id: Text = SlugId(
        nullable=True,
        description="Cooperation the activity belongs to (core.cooperation); empty for global-network activities.",
    )
    host_city_id: Text = SlugId(
        nullable=True,
        description="City hosting the activity (core.city); empty for online activities.",
    )
    reported_date: DateCol = Date(
        description="Date the record was entered (timeliness, K30); optional in files, defaults to the load date; not in the future."
    )

    class Config:
        strict = True
        coerce = True
        description = "Programme activities."


class Participation(pa.DataFrameModel):
    """Attendance of one activity by one city's stakeholders of one type (core.participation).

    Counts only, never names: the programme keeps no personal data. With organisation_id a row is
    one organisation's attendance, so one activity, city and stakeholder type may have several rows.
    """

    activity_id: Text = SlugId(description="Activity attended; must exist in core.activity.")
    city_id: Text = SlugId(description="City the participants came from; must exist in core.city.")
    stakeholder_type: Text = Code(description="Stakeholder type from ref.stakeholder_type.")
    participants: Int = Count(description="Person-attendances (people present).")
    women: Int = Count(
        nullable=True,
        description="Of whom women; empty when not declared; not more than participants.",
    )
    organisations: Int = Count(
        nullable=True, description="Distinct organisations represented in this row."
    )
    completions: Int = Count(
        nullable=True,
        description="Trainings: participants who completed; not more than participants.",
    )
    organisation_id: Text = SlugId(
        nullable=True,
        description=(
            "Stable slug of the one organisation this row counts (e.g. 'turin-it-city-council'; an "
            "organisation is not personal data), so distinct organisations can be counted exactly; "
            "with it, organisations is 1 or empty. Empty: the row may cover several organisations."
        ),
    )

    class Config:
        strict = True
        coerce = True
        description = "Participation in activities, by city and stakeholder type."
