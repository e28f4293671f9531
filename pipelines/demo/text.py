"""Plausible wording for demo titles and descriptions, and the SDG links of each subtheme."""

from __future__ import annotations

# subtheme -> topics an activity or output of that subtheme can be about
TOPICS: dict[str, list[str]] = {
    "circular_economy": [
        "circular construction and demolition waste",
        "food waste prevention",
        "repair and reuse hubs",
        "circular public procurement",
        "textile collection and reuse",
        "plastic-free public events",
    ],
    "nature_based_solutions": [
        "nature-based solutions",
        "urban tree canopy",
        "green roofs and rain gardens",
        "sponge-city stormwater management",
        "urban biodiversity corridors",
        "cooling parks for heatwaves",
    ],
    "sustainable_urban_agriculture": [
        "community gardens",
        "urban farming on municipal land",
        "local food procurement",
        "rooftop agriculture",
    ],
    "renovation_wave": [
        "deep energy retrofit of public buildings",
        "heat pumps in social housing",
        "one-stop shops for home renovation",
        "district heating modernisation",
    ],
    "urban_agendas_planning": [
        "integrated urban development plans",
        "15-minute city planning",
        "participatory budgeting",
        "climate-ready zoning",
    ],
    "mobility_transport": [
        "bus rapid transit",
        "protected cycling networks",
        "micromobility regulation",
        "hydrogen and battery-electric buses",
        "low-emission zones",
        "school streets",
    ],
    "urban_poverty": ["energy poverty", "homelessness prevention", "inclusive social services"],
    "deprived_neighbourhoods": [
        "regeneration of deprived neighbourhoods",
        "community land trusts",
        "safe and inclusive public spaces",
    ],
    "housing_social_cohesion": [
        "affordable housing",
        "social housing retrofits",
        "co-housing models",
        "anti-displacement policies",
    ],
    "industry_5_0": [
        "industry 5.0 skills",
        "advanced manufacturing clusters",
        "brownfield redevelopment for industry",
    ],
    "tourism_culture": [
        "sustainable tourism",
        "cultural heritage regeneration",
        "creative industries",
    ],
    "health": ["healthy streets", "heat-health action plans", "digital health services"],
    "life_science": ["life-science clusters", "biotech incubation"],
    "education": ["green skills in schools", "university–city partnerships"],
    "jobs_skills": [
        "green jobs and reskilling",
        "youth employment",
        "skills for the energy transition",
    ],
    "innovation_centres": ["innovation districts", "living labs", "open innovation challenges"],
    "business_clusters": [
        "clean-tech business clusters",
        "SME internationalisation",
        "export partnerships",
    ],
    "regional_innovation": [
        "regional innovation ecosystems",
        "smart specialisation",
        "innovation procurement",
    ],
}

# subtheme -> (goals, most likely first; targets of those goals). Used for keyword/model tags.
SDG_LINKS: dict[str, tuple[list[int], list[str]]] = {
    "circular_economy": ([12, 11, 8], ["12.5", "12.2", "12.7", "11.6", "8.4"]),
    "nature_based_solutions": ([11, 15, 13], ["11.7", "15.1", "15.5", "13.1", "11.b"]),
    "sustainable_urban_agriculture": ([2, 11, 12], ["2.4", "11.a", "12.3"]),
    "renovation_wave": ([7, 11, 13], ["7.3", "7.2", "11.1", "13.2"]),
    "urban_agendas_planning": ([11, 16, 13], ["11.3", "11.a", "16.7", "13.2"]),
    "mobility_transport": ([11, 3, 9], ["11.2", "3.6", "3.9", "9.1", "11.6"]),
    "urban_poverty": ([1, 10, 11], ["1.4", "1.3", "10.2", "11.1"]),
    "deprived_neighbourhoods": ([11, 10, 1], ["11.1", "11.7", "10.2", "1.4"]),
    "housing_social_cohesion": ([11, 10, 7], ["11.1", "10.2", "7.1"]),
    "industry_5_0": ([9, 8, 4], ["9.2", "9.4", "9.5", "8.2", "4.4"]),
    "tourism_culture": ([8, 11, 12], ["8.9", "11.4", "12.b"]),
    "health": ([3, 11, 13], ["3.4", "3.9", "3.d", "11.6"]),
    "life_science": ([3, 9, 8], ["3.b", "9.5", "8.2"]),
    "education": ([4, 17, 8], ["4.4", "4.7", "17.17"]),
    "jobs_skills": ([8, 4, 10], ["8.5", "8.6", "4.4", "10.2"]),
    "innovation_centres": ([9, 17, 8], ["9.5", "9.b", "17.17", "8.3"]),
    "business_clusters": ([8, 9, 17], ["8.2", "8.3", "9.3", "17.17"]),
    "regional_innovation": ([9, 17, 8], ["9.5", "17.17", "8.2"]),
}
DEFAULT_SDG = ([11, 17, 13], ["11.3", "17.17", "13.2"])

TYPE_SENTENCES: dict[str, str] = {
    "study_visit": "Delegations visited sites and met practitioners to see what works on the ground.",
    "thematic_event": "Cities presented their approaches and discussed transferable lessons.",
    "networking_event": "Cities, academia, business and civil society met to start new cooperation.",
    "technical_session": "Experts reviewed technical options, costs and data needs with city staff.",
    "training": "Municipal staff trained on methods and tools, with a short completion test.",
    "capacity_building": "A capacity-building module for city teams and local stakeholders.",
    "webinar": "Online session, recorded and shared with the IURC community.",
    "staff_exchange": "City officers worked alongside their counterparts for a short placement.",
}

OUTPUT_TITLES: dict[str, str] = {
    "action_plan": "Urban Cooperation Action Plan: {topic} ({city})",
    "pilot": "Pilot project: {topic} in {city}",
    "solution": "Transferable toolkit on {topic} ({city})",
    "agreement": "Memorandum of understanding on {topic} ({city})",
    "knowledge_product": "Case study: {topic} in {city}",
    "policy_change": "{city} strategy updated for {topic}",
}


# what each kind of output is, in a catalogue's words; every one says it is a synthetic example
OUTPUT_DESCRIPTIONS: dict[str, str] = {
    "action_plan": (
        "Synthetic example. The action plan {city} and its partners agreed on {topic}: "
        "priorities, lead departments, a costed timetable and the indicators the city will "
        "report, drawn from the cooperation's study visits and technical sessions."
    ),
    "pilot": (
        "Synthetic example. A pilot in {city} testing {topic} at neighbourhood scale, with "
        "baseline and follow-up measurements, the costs met and the lessons shared with the "
        "partner cities."
    ),
    "solution": (
        "Synthetic example. A toolkit on {topic} developed jointly with {city}: the method, "
        "templates, procurement clauses and a checklist of dos and don'ts other cities can reuse."
    ),
    "agreement": (
        "Synthetic example. A memorandum of understanding by which {city} and its partners "
        "commit to keep working together on {topic} beyond the programme's support."
    ),
    "knowledge_product": (
        "Synthetic example. A case study of {topic} in {city}: the context, what was done, "
        "results and costs, and what the partners would do differently."
    ),
    "policy_change": (
        "Synthetic example. {city} amended a municipal strategy to include {topic}, citing the "
        "cooperation's exchanges in the council decision."
    ),
}
# evidence links: example.org (reserved for examples), shaped like a city's document library
EVIDENCE_PATHS: dict[str, str] = {
    "action_plan": "action-plans",
    "pilot": "pilots",
    "solution": "toolkits",
    "agreement": "agreements",
    "knowledge_product": "case-studies",
    "policy_change": "council-decisions",
}


def topics_for(subtheme: str | None, fallback: str) -> list[str]:
    """Return the topics of a subtheme (or the fallback label as the only topic)."""
    return TOPICS.get(subtheme or "", [fallback.lower()])


def capitalise(text: str) -> str:
    """Return text with its first letter upper-cased (leaves acronyms alone)."""
    return text[:1].upper() + text[1:]
