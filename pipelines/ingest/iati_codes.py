"""The IATI 2.03 mapping shared by the export (`pipelines.export.iati`) and the import
(`pipelines.ingest.iati`): identifiers, code lists and the IURC extension namespace.

The mapping, element by element, is documented in docs/iati.md.
"""

from __future__ import annotations

#: IATI version written and the only major version read
IATI_VERSION = "2.03"
#: namespace of the IURC extension attributes (the 2.03 schema allows attributes of any other
#: namespace): they carry what IATI has no element for, so an export re-imports losslessly
IURC_NS = "urn:x-iurc-impact:iati:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"

#: the EU's IATI publisher that finances IURC (European Commission, Service for Foreign Policy
#: Instruments); organisation type 40 (Multilateral), as the EC publishes itself
REPORTING_ORG_REF = "XI-IATI-EC_FPI"
REPORTING_ORG_TYPE = "40"
REPORTING_ORG_NAME = {
    "en": "European Commission - Service for Foreign Policy Instruments",
    "fr": "Commission européenne - Service des instruments de politique étrangère",
    "es": "Comisión Europea - Servicio de Instrumentos de Política Exterior",
}
PROGRAMME_IDENTIFIER = f"{REPORTING_ORG_REF}-IURC-NA"
PROGRAMME_TITLE = {
    "en": "International Urban and Regional Cooperation (IURC) - North America",
    "fr": "Coopération urbaine et régionale internationale (IURC) - Amérique du Nord",
    "es": "Cooperación Urbana y Regional Internacional (IURC) - América del Norte",
}
PROGRAMME_DESCRIPTION = {
    "en": "EU programme pairing European cities with cities in Canada and the United States in "
    "three thematic networks, through pairings, clusters and a global network.",
    "fr": "Programme de l'UE qui associe des villes européennes à des villes du Canada et des "
    "États-Unis dans trois réseaux thématiques, par jumelages, groupes et un réseau mondial.",
    "es": "Programa de la UE que asocia ciudades europeas con ciudades de Canadá y Estados Unidos "
    "en tres redes temáticas, mediante hermanamientos, grupos y una red mundial.",
}

#: IATI hierarchy of each IURC record kind (related-activity type 1 = parent, 2 = child)
HIERARCHY = {"programme": "1", "cooperation": "2", "activity": "3"}
RELATED_PARENT = "1"
RELATED_CHILD = "2"

#: OrganisationType 11 = Local Government (the cities' governments); role 1 Funding,
#: 2 Accountable, 4 Implementing
CITY_ORG_TYPE = "11"
ROLE_FUNDING = "1"
ROLE_ACCOUNTABLE = "2"
ROLE_IMPLEMENTING = "4"

#: ActivityStatus: IURC activity status -> IATI code, and back (2 Implementation and
#: 6 Suspended have no IURC equivalent and stay unmapped: validation then names them)
ACTIVITY_STATUS = {"planned": "1", "completed": "4", "cancelled": "5"}
ACTIVITY_STATUS_BACK = {"1": "planned", "3": "completed", "4": "completed", "5": "cancelled"}

#: ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"

#: sectors: DAC 5-digit 43030 "Urban development and management" (vocabulary 1) for every
#: activity, so IATI users find IURC among urban development; the thematic network in the
#: reporting organisation's own vocabulary 99 and the subtheme in its second one, 98 (networks and
#: subthemes are IURC's own classification: no DAC code says "Innovation network")
DAC5_URBAN = "43030"
SECTOR_DAC5 = "1"
SECTOR_NETWORK = "99"
SECTOR_SUBTHEME = "98"

#: TagVocabulary 2 = UN Sustainable Development Goals, 3 = UN SDG targets
TAG_GOAL = "2"
TAG_TARGET = "3"

#: IndicatorVocabulary 99 = reporting organisation (the IURC KPI code, e.g. K04)
INDICATOR_VOCABULARY = "99"
#: ResultType by KPI family: 1 Output, 2 Outcome, 9 Other
RESULT_TYPE = {"reach": "1", "outputs": "1", "outcomes": "2"}
RESULT_TYPE_OTHER = "9"
#: IndicatorMeasure: 1 Unit, 2 Percentage
MEASURE = {"percent": "2"}
MEASURE_UNIT = "1"

#: TransactionType 11 = Incoming Commitment (funds leveraged: committed by others to an output)
TRANSACTION_INCOMING_COMMITMENT = "11"
#: DocumentCategory A08 = Results, outcomes and outputs
DOCUMENT_CATEGORY = "A08"
#: GeoNames location vocabulary; point reference system
LOCATION_GEONAMES = "G1"
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"


def iurc(name: str) -> str:
    """Return the qualified name of an IURC extension attribute, e.g. '{urn:...}mode'."""
    return f"{{{IURC_NS}}}{name}"


def cooperation_identifier(cooperation_id: str) -> str:
    """Return the IATI identifier of a cooperation (the programme's identifier + its id)."""
    return f"{PROGRAMME_IDENTIFIER}-{cooperation_id}"


def activity_identifier(activity_id: str) -> str:
    """Return the IATI identifier of an IURC activity (the programme's identifier + its id)."""
    return f"{PROGRAMME_IDENTIFIER}-{activity_id}"
