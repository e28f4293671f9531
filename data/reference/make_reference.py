"""Rebuild the committed reference CSVs in data/reference/ from the public source files.

One-off provenance script, not part of the pipeline: the pipeline only reads the CSVs it writes.
Hand-compiled code lists, translations, KPI catalogue and the programme-city decisions
live here as literal tables so every value has one place of origin (see SOURCES.md). FX rates
come from the ECB history: `make_fx_rate.py`.

    python data/reference/make_reference.py /path/to/reference-data
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent
PROGRAMME_OUT = OUT / "programme"
GEONAMES_FILE = "cities15000_eu_uk_efta_ca_us_mx.csv"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Write rows as UTF-8 (no BOM), standard quoting, LF line ends; booleans as true/false."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            assert len(row) == len(header), (path.name, row)
            w.writerow(
                [
                    "true" if v is True else "false" if v is False else "" if v is None else v
                    for v in row
                ]
            )


def slug(text: str) -> str:
    """ASCII slug: accents folded, lower case, runs of non-alphanumerics -> '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def city_id(name: str, iso2: str) -> str:
    """Programme city id: slug of the name + '-' + lower-case ISO2 ('turin-it')."""
    return f"{slug(name)}-{iso2.lower()}"


# ------------------------------------------------------------------ taxonomy (seed brochure)
NETWORKS = [
    (
        "ecological_transition",
        "Ecological Transition & Green Deal",
        "Transition écologique et pacte vert",
        "Transición ecológica y Pacto Verde",
    ),
    (
        "urban_renewal",
        "Urban Renewal & Urban Poverty",
        "Renouvellement urbain et pauvreté urbaine",
        "Renovación urbana y pobreza urbana",
    ),
    ("innovation", "Innovation", "Innovation", "Innovación"),
]

SUBTHEMES = [
    (
        "circular_economy",
        "ecological_transition",
        "Circular Economy",
        "Économie circulaire",
        "Economía circular",
    ),
    (
        "nature_based_solutions",
        "ecological_transition",
        "Nature Based Solutions",
        "Solutions fondées sur la nature",
        "Soluciones basadas en la naturaleza",
    ),
    (
        "sustainable_urban_agriculture",
        "ecological_transition",
        "Sustainable urban agriculture",
        "Agriculture urbaine durable",
        "Agricultura urbana sostenible",
    ),
    (
        "renovation_wave",
        "ecological_transition",
        "Renovation Wave",
        "Vague de rénovations",
        "Oleada de renovación",
    ),
    (
        "urban_agendas_planning",
        "urban_renewal",
        "Urban Agendas and Urban Planning",
        "Agendas urbains et urbanisme",
        "Agendas urbanas y planificación urbana",
    ),
    (
        "mobility_transport",
        "urban_renewal",
        "Mobility & Transport",
        "Mobilité et transports",
        "Movilidad y transporte",
    ),
    ("urban_poverty", "urban_renewal", "Urban Poverty", "Pauvreté urbaine", "Pobreza urbana"),
    (
        "deprived_neighbourhoods",
        "urban_renewal",
        "Deprived Neighbourhoods",
        "Quartiers défavorisés",
        "Barrios desfavorecidos",
    ),
    (
        "housing_social_cohesion",
        "urban_renewal",
        "Housing, Social Cohesion",
        "Logement et cohésion sociale",
        "Vivienda y cohesión social",
    ),
    ("industry_5_0", "urban_renewal", "Industry 5.0", "Industrie 5.0", "Industria 5.0"),
    (
        "tourism_culture",
        "innovation",
        "Tourism & Culture",
        "Tourisme et culture",
        "Turismo y cultura",
    ),
    ("health", "innovation", "Health", "Santé", "Salud"),
    ("life_science", "innovation", "Life science", "Sciences de la vie", "Ciencias de la vida"),
    ("education", "innovation", "Education", "Éducation", "Educación"),
    ("jobs_skills", "innovation", "Jobs & Skills", "Emploi et compétences", "Empleo y capacidades"),
    (
        "innovation_centres",
        "innovation",
        "Innovation centres",
        "Centres d'innovation",
        "Centros de innovación",
    ),
    (
        "business_clusters",
        "innovation",
        "Business Clusters",
        "Pôles d'entreprises",
        "Clústeres empresariales",
    ),
    (
        "regional_innovation",
        "innovation",
        "Regional Innovation",
        "Innovation régionale",
        "Innovación regional",
    ),
]

CROSS_CUTTING = [
    (
        "digital_transition_smart_city",
        "Digital Transition & Smart City",
        "Transition numérique et ville intelligente",
        "Transición digital y ciudad inteligente",
    ),
    (
        "energy_transition_climate_change",
        "Energy Transition & Climate Change",
        "Transition énergétique et changement climatique",
        "Transición energética y cambio climático",
    ),
    (
        "post_covid_recovery_social_justice_inclusion",
        "Post Covid Recovery – Social Justice & Inclusion",
        "Relance post-COVID – justice sociale et inclusion",
        "Recuperación pos-COVID – justicia social e inclusión",
    ),
]

# ------------------------------------------------------------------ code lists
COOPERATION_MODES = [
    ("pairing", "One-to-one pairing", "Jumelage bilatéral", "Emparejamiento bilateral"),
    ("trio", "Trio", "Trio", "Trío"),
    ("cluster", "Cluster", "Groupe de villes (cluster)", "Grupo de ciudades (clúster)"),
    ("global_network", "Global Network", "Réseau mondial", "Red mundial"),
]

ACTIVITY_TYPES = [  # id, en, fr, es, is_capacity_building
    ("study_visit", "Study visit", "Visite d'étude", "Visita de estudio", False),
    ("thematic_event", "Thematic event", "Événement thématique", "Evento temático", False),
    (
        "networking_event",
        "Networking event",
        "Événement de mise en réseau",
        "Evento de creación de redes",
        False,
    ),
    ("technical_session", "Technical session", "Session technique", "Sesión técnica", False),
    ("training", "Training", "Formation", "Formación", True),
    (
        "capacity_building",
        "Capacity building",
        "Renforcement des capacités",
        "Desarrollo de capacidades",
        True,
    ),
    ("webinar", "Webinar", "Webinaire", "Seminario web", False),
    ("staff_exchange", "Staff exchange", "Échange de personnel", "Intercambio de personal", False),
]

MODALITIES = [
    ("in_person", "In person", "En présentiel", "Presencial"),
    ("online", "Online", "En ligne", "En línea"),
    ("hybrid", "Hybrid", "Hybride", "Híbrido"),
]

STAKEHOLDER_TYPES = [
    ("local_government", "Local government", "Collectivité locale", "Gobierno local"),
    ("regional_government", "Regional government", "Autorité régionale", "Gobierno regional"),
    (
        "academia",
        "Academia and research",
        "Universités et recherche",
        "Universidades e investigación",
    ),
    ("business", "Business", "Entreprises", "Empresas"),
    ("civil_society", "Civil society", "Société civile", "Sociedad civil"),
    ("other", "Other", "Autre", "Otro"),
]

OUTPUT_TYPES = [
    ("action_plan", "Action plan", "Plan d'action", "Plan de acción"),
    ("pilot", "Pilot project", "Projet pilote", "Proyecto piloto"),
    (
        "solution",
        "Jointly developed solution",
        "Solution développée conjointement",
        "Solución desarrollada conjuntamente",
    ),
    ("agreement", "Formal agreement", "Accord formel", "Acuerdo formal"),
    (
        "knowledge_product",
        "Knowledge product",
        "Produit de connaissance",
        "Producto de conocimiento",
    ),
    ("policy_change", "Policy change", "Changement de politique", "Cambio de política"),
]

OUTPUT_STATUSES = [  # id, en, fr, es, stage
    ("planned", "Planned", "Prévu", "Previsto", 0),
    ("developed", "Developed", "Élaboré", "Elaborado", 1),
    ("implemented", "Implemented", "Mis en œuvre", "Implementado", 2),
    ("adopted", "Adopted", "Adopté", "Adoptado", 3),
    ("abandoned", "Abandoned", "Abandonné", "Abandonado", 9),
]

FRAMEWORKS = [
    ("eu_green_deal", "European Green Deal", "Pacte vert pour l'Europe", "Pacto Verde Europeo"),
    ("new_urban_agenda", "New Urban Agenda", "Nouvel Agenda urbain", "Nueva Agenda Urbana"),
    (
        "urban_agenda_eu",
        "Urban Agenda for the EU",
        "Agenda urbain pour l'UE",
        "Agenda Urbana para la UE",
    ),
]

FUNDING_SOURCES = [
    ("eu", "EU funds", "Fonds de l'UE", "Fondos de la UE"),
    (
        "public",
        "Public funds (national, regional, local)",
        "Fonds publics (nationaux, régionaux, locaux)",
        "Fondos públicos (nacionales, regionales, locales)",
    ),
    ("private", "Private funds", "Fonds privés", "Fondos privados"),
    (
        "public_private",
        "Public-private partnership",
        "Partenariat public-privé",
        "Asociación público-privada",
    ),
]

# ------------------------------------------------------------------ countries
COUNTRIES = [  # iso2, en, fr, es, region  (EU27 alphabetical by English name, then partners)
    ("AT", "Austria", "Autriche", "Austria", "EU"),
    ("BE", "Belgium", "Belgique", "Bélgica", "EU"),
    ("BG", "Bulgaria", "Bulgarie", "Bulgaria", "EU"),
    ("HR", "Croatia", "Croatie", "Croacia", "EU"),
    ("CY", "Cyprus", "Chypre", "Chipre", "EU"),
    ("CZ", "Czechia", "Tchéquie", "Chequia", "EU"),
    ("DK", "Denmark", "Danemark", "Dinamarca", "EU"),
    ("EE", "Estonia", "Estonie", "Estonia", "EU"),
    ("FI", "Finland", "Finlande", "Finlandia", "EU"),
    ("FR", "France", "France", "Francia", "EU"),
    ("DE", "Germany", "Allemagne", "Alemania", "EU"),
    ("GR", "Greece", "Grèce", "Grecia", "EU"),
    ("HU", "Hungary", "Hongrie", "Hungría", "EU"),
    ("IE", "Ireland", "Irlande", "Irlanda", "EU"),
    ("IT", "Italy", "Italie", "Italia", "EU"),
    ("LV", "Latvia", "Lettonie", "Letonia", "EU"),
    ("LT", "Lithuania", "Lituanie", "Lituania", "EU"),
    ("LU", "Luxembourg", "Luxembourg", "Luxemburgo", "EU"),
    ("MT", "Malta", "Malte", "Malta", "EU"),
    ("NL", "Netherlands", "Pays-Bas", "Países Bajos", "EU"),
    ("PL", "Poland", "Pologne", "Polonia", "EU"),
    ("PT", "Portugal", "Portugal", "Portugal", "EU"),
    ("RO", "Romania", "Roumanie", "Rumanía", "EU"),
    ("SK", "Slovakia", "Slovaquie", "Eslovaquia", "EU"),
    ("SI", "Slovenia", "Slovénie", "Eslovenia", "EU"),
    ("ES", "Spain", "Espagne", "España", "EU"),
    ("SE", "Sweden", "Suède", "Suecia", "EU"),
    ("GB", "United Kingdom", "Royaume-Uni", "Reino Unido", "EU"),
    ("CH", "Switzerland", "Suisse", "Suiza", "EU"),
    ("NO", "Norway", "Norvège", "Noruega", "EU"),
    ("IS", "Iceland", "Islande", "Islandia", "EU"),
    ("CA", "Canada", "Canada", "Canadá", "NA"),
    ("US", "United States", "États-Unis", "Estados Unidos", "NA"),
    ("MX", "Mexico", "Mexique", "México", "NA"),
]
COUNTRY_BY_NAME = {en: iso2 for iso2, en, *_ in COUNTRIES}

# FX rates: fx_rate.csv is written by make_fx_rate.py from the ECB history (see SOURCES.md).


# ------------------------------------------------------------------ KPI catalogue
P_ALL = "P,N,C,City"
# id, en, fr, es, family, unit, direction, aggregation, is_cumulative, levels, interreg, definition
INDICATORS = [
    (
        "K01",
        "Active cooperations",
        "Coopérations actives",
        "Cooperaciones activas",
        "reach",
        "count",
        "higher",
        "count_distinct",
        False,
        "P,N",
        None,
        (
            "Distinct cooperations (pairings, trios, clusters) with at least one completed activity "
            "(activity.cooperation_id, status completed) ending in the period; broken down by mode."
        ),
    ),
    (
        "K02",
        "Participating cities",
        "Villes participantes",
        "Ciudades participantes",
        "reach",
        "count",
        "higher",
        "count_distinct",
        False,
        "P,N",
        None,
        (
            "Distinct cities with at least one participation row in a completed activity of the "
            "period; split by region (EU / NA) and country (CA / US / MX)."
        ),
    ),
    (
        "K03",
        "Activities delivered",
        "Activités réalisées",
        "Actividades realizadas",
        "reach",
        "count",
        "higher",
        "count_distinct",
        False,
        "P,N,C",
        None,
        (
            "Distinct activities with status completed ending in the period, by activity type and "
            "modality; % of plan = completed / (completed + planned) for the same period."
        ),
    ),
    (
        "K04",
        "Participations",
        "Participations",
        "Participaciones",
        "reach",
        "count",
        "higher",
        "sum",
        False,
        P_ALL,
        None,
        (
            "Person-attendances (one person at one activity): sum of participation.participants "
            "over completed activities ending in the period. Counts only, never personal data."
        ),
    ),
    (
        "K05",
        "Organisation participations",
        "Participations d'organisations",
        "Participaciones de organizaciones",
        "reach",
        "count",
        "higher",
        "sum",
        False,
        P_ALL,
        None,
        (
            "Sum of participation.organisations over completed activities in the period. The "
            "warehouse stores counts, not organisation identities, so across activities this is an "
            "upper bound of distinct organisations (exact within one activity, city and stakeholder "
            "type)."
        ),
    ),
    (
        "K06",
        "Stakeholder mix",
        "Diversité des acteurs",
        "Combinación de actores",
        "reach",
        "percent",
        "higher",
        "ratio",
        False,
        P_ALL,
        None,
        (
            "Share of participations from non-government stakeholders (academia, business, civil "
            "society, other) = their participants / all participants; the full breakdown by "
            "stakeholder type is shown alongside. Recomputed from summed counts, never averaged."
        ),
    ),
    (
        "K07",
        "Stakeholder diversity index",
        "Indice de diversité des acteurs",
        "Índice de diversidad de actores",
        "reach",
        "index",
        "higher",
        "ratio",
        False,
        "C,City",
        None,
        (
            "Gini-Simpson index 1 - sum(p_i^2) over four stakeholder groups: government (local + "
            "regional), academia, business, civil society ('other' excluded), p_i = share of "
            "participants; 0-1 (max 0.75 with four groups). Recomputed from summed counts."
        ),
    ),
    (
        "K08",
        "Gender balance",
        "Équilibre femmes-hommes",
        "Equilibrio de género",
        "reach",
        "percent",
        "higher",
        "ratio",
        False,
        "P,N,C",
        None,
        (
            "Share of women = sum(women) / sum(participants) over rows where women is declared (not "
            "null); the number and % of participants in undeclared rows are reported alongside. "
            "Parity (50 %) is the usual target."
        ),
    ),
    (
        "K09",
        "Organisation participations in joint activities",
        "Participations d'organisations aux activités conjointes",
        "Participaciones de organizaciones en actividades conjuntas",
        "reach",
        "count",
        "higher",
        "sum",
        False,
        "P,N,C",
        "RCO87",
        (
            "Sum of participation.organisations in joint activities (activities of a cooperation with "
            "participants from at least two countries) in the period; upper bound of distinct "
            "organisations as for K05. Nearest Interreg indicator RCO87."
        ),
    ),
    (
        "K10",
        "Capacity-building participations",
        "Participations au renforcement des capacités",
        "Participaciones en desarrollo de capacidades",
        "reach",
        "count",
        "higher",
        "sum",
        False,
        "P,N",
        "RCO85/RCR81",
        (
            "Participants in completed activities whose type is capacity building "
            "(activity_type.is_capacity_building: training, capacity building); completion rate = "
            "sum(completions) / sum(participants) where completions is reported. Interreg codes "
            "RCO85/RCR81 as given by the catalogue [unverified]."
        ),
    ),
    (
        "K11",
        "Exchange intensity",
        "Intensité des échanges",
        "Intensidad de los intercambios",
        "reach",
        "quarter_rate",
        "higher",
        "ratio",
        False,
        "C",
        None,
        (
            "Completed joint EU-NA activities per cooperation per quarter (activities with "
            "participants from both regions / cooperations / quarters in the period); study-visit "
            "person-days (participants x activity days) reported alongside."
        ),
    ),
    (
        "K12",
        "Action plans developed",
        "Plans d'action élaborés",
        "Planes de acción elaborados",
        "outputs",
        "count",
        "higher",
        "sum",
        True,
        P_ALL,
        "RCO83",
        (
            "Outputs of type action_plan (Local / Urban Cooperation Action Plans drafted with partners "
            "from at least two countries) that reached stage developed or later (developed_date on or "
            "before the period end; abandoned excluded). Running total to date. Nearest Interreg "
            "indicator RCO83."
        ),
    ),
    (
        "K13",
        "Pilot projects designed",
        "Projets pilotes conçus",
        "Proyectos piloto diseñados",
        "outputs",
        "count",
        "higher",
        "sum",
        True,
        "P,N,C",
        None,
        (
            "Outputs of type pilot that reached stage developed or later (specified, e.g. in an "
            "action plan) by the period end; abandoned excluded. Running total to date."
        ),
    ),
    (
        "K14",
        "Jointly developed solutions",
        "Solutions développées conjointement",
        "Soluciones desarrolladas conjuntamente",
        "outputs",
        "count",
        "higher",
        "sum",
        True,
        "P,N,C",
        "RCO116",
        (
            "Outputs of type solution (tools, methods, services tested and transferable) that "
            "reached stage developed or later by the period end; abandoned excluded. Running total "
            "to date. Nearest Interreg indicator RCO116."
        ),
    ),
    (
        "K15",
        "Formal agreements",
        "Accords formels",
        "Acuerdos formales",
        "outputs",
        "count",
        "higher",
        "sum",
        True,
        "P,C",
        None,
        (
            "Outputs of type agreement (MoUs, letters of intent, twinning agreements) signed, i.e. "
            "adopted_date on or before the period end. Running total to date."
        ),
    ),
    (
        "K16",
        "Knowledge products",
        "Produits de connaissance",
        "Productos de conocimiento",
        "outputs",
        "count",
        "higher",
        "sum",
        True,
        "P,N",
        None,
        (
            "Outputs of type knowledge_product (best-practice notes, case studies, recorded webinars) "
            "published, i.e. developed stage or later by the period end. Running total to date."
        ),
    ),
    (
        "K17",
        "Action plans taken up",
        "Plans d'action adoptés",
        "Planes de acción adoptados",
        "outcomes",
        "count",
        "higher",
        "sum",
        True,
        P_ALL,
        "RCR79",
        (
            "Action plans formally adopted or endorsed by a municipal body or integrated into a "
            "strategy: outputs of type action_plan with adopted_date on or before the period end; "
            "% of K12 reported alongside. Running total to date. Nearest Interreg indicator RCR79."
        ),
    ),
    (
        "K18",
        "Pilots implemented",
        "Projets pilotes mis en œuvre",
        "Proyectos piloto implementados",
        "outcomes",
        "count",
        "higher",
        "sum",
        True,
        "P,N,C",
        None,
        (
            "Outputs of type pilot that reached stage implemented or adopted by the period end; % of "
            "K13 reported alongside. Running total to date."
        ),
    ),
    (
        "K19",
        "Solutions taken up or up-scaled",
        "Solutions adoptées ou étendues",
        "Soluciones adoptadas o ampliadas",
        "outcomes",
        "count",
        "higher",
        "sum",
        True,
        "P,N",
        "RCR104",
        (
            "Outputs of type solution with status adopted (taken up beyond the pilot or by another "
            "city) by the period end. Running total to date. Interreg code RCR104 as given by the "
            "catalogue [unverified]."
        ),
    ),
    (
        "K20",
        "Funding leveraged",
        "Financements mobilisés",
        "Financiación movilizada",
        "outcomes",
        "eur",
        "higher",
        "sum",
        True,
        "P,C,City",
        None,
        (
            "Public and private funds committed to actions stemming from the cooperation: sum of "
            "funding.amount_eur with committed_date on or before the period end (source amount and "
            "currency kept; converted with the ECB annual average rate of the commitment year). "
            "Running total to date."
        ),
    ),
    (
        "K21",
        "Policy changes influenced",
        "Changements de politique influencés",
        "Cambios de política influidos",
        "outcomes",
        "count",
        "higher",
        "sum",
        True,
        "P,City",
        None,
        (
            "Outputs of type policy_change (strategies, regulations, procurement rules changed) "
            "adopted by the period end with an evidence link (evidence_url). Running total to date."
        ),
    ),
    (
        "K22",
        "Sustained cooperation",
        "Coopération durable",
        "Cooperación sostenida",
        "outcomes",
        "percent",
        "higher",
        "ratio",
        False,
        "P,N",
        "RCR84",
        (
            "Share of cooperations whose support ended at least 12 months before the period end that "
            "have a completed activity or an adopted agreement dated 12 months or more after "
            "support_end_date; denominator = those cooperations. Nearest Interreg indicator RCR84."
        ),
    ),
    (
        "K23",
        "Learning applied",
        "Apprentissages appliqués",
        "Aprendizajes aplicados",
        "outcomes",
        "percent",
        "higher",
        "latest",
        False,
        P_ALL,
        None,
        (
            "% of survey respondents reporting they applied knowledge within 6 months of an activity; "
            "reported as observations (no respondent-level data in the warehouse), latest actual "
            "value per scope, not combined across scopes. Mean satisfaction (1-5) reported apart."
        ),
    ),
    (
        "K24",
        "SDG target coverage",
        "Couverture des cibles ODD",
        "Cobertura de metas ODS",
        "sdg",
        "count",
        "higher",
        "count_distinct",
        False,
        P_ALL,
        None,
        (
            "Distinct SDG targets in accepted sdg_alignment tags (target_id not null) of the "
            "activities, outputs and cooperations in scope."
        ),
    ),
    (
        "K25",
        "SDG profile",
        "Profil ODD",
        "Perfil ODS",
        "sdg",
        "percent",
        "higher",
        "ratio",
        False,
        P_ALL,
        None,
        (
            "Share of activities (or participations, or outputs) per SDG goal from accepted tags, "
            "either primary goal only or fractional (1/n per goal when tagged with n goals); the "
            "view states which. Recomputed from counts, never averaged."
        ),
    ),
    (
        "K26",
        "Tag validation rate",
        "Taux de validation des étiquettes",
        "Tasa de validación de etiquetas",
        "sdg",
        "percent",
        "higher",
        "ratio",
        False,
        "P",
        None,
        (
            "Share of auto-suggested SDG tags (method keyword or model) reviewed by a person (status "
            "accepted or rejected); agreement rate = accepted / reviewed reported alongside."
        ),
    ),
    (
        "K27",
        "Framework alignment",
        "Alignement sur les cadres d'action",
        "Alineación con los marcos de actuación",
        "sdg",
        "percent",
        "higher",
        "ratio",
        False,
        "P,N",
        None,
        (
            "Share of outputs (abandoned excluded) mapped to a policy framework (output.framework_id: "
            "European Green Deal, New Urban Agenda, Urban Agenda for the EU)."
        ),
    ),
    (
        "K28",
        "Target achievement rate",
        "Taux de réalisation des objectifs",
        "Tasa de cumplimiento de metas",
        "management",
        "percent",
        "higher",
        "ratio",
        False,
        "P,N,C",
        None,
        (
            "Actual / target for each KPI with a target (direction-aware: target / actual for "
            "lower-is-better KPIs); RAG green >= 90 %, amber 60-89 %, red < 60 % (configurable); "
            "'not rated' when there is no target. Forecasts are never used as actuals."
        ),
    ),
    (
        "K29",
        "Data completeness",
        "Complétude des données",
        "Completitud de los datos",
        "management",
        "percent",
        "higher",
        "ratio",
        False,
        "P,City",
        None,
        (
            "Filled required and optional-but-expected fields / all such fields, per table and per "
            "city (e.g. women declared, population, evidence links); IATI comprehensiveness "
            "analogue."
        ),
    ),
    (
        "K30",
        "Data timeliness",
        "Actualité des données",
        "Puntualidad de los datos",
        "management",
        "days",
        "lower",
        "mean",
        False,
        "P,City",
        None,
        (
            "Days from activity end to record entry (activity.reported_date - end_date) over "
            "completed activities in the period, computed from activity rows (the median is shown "
            "alongside the mean); days since the last ingest run reported apart. Lower is better; "
            "IATI timeliness analogue."
        ),
    ),
    (
        "K31",
        "Engagement score",
        "Score d'engagement",
        "Puntuación de compromiso",
        "benchmarking",
        "score",
        "higher",
        "mean",
        False,
        "City",
        None,
        (
            "Equal-weight mean of K03 (hosted), K04 per 100k population, K12, K17, K18 and K22, each "
            "rescaled 0-100 between a lower bound (2.5th percentile of the peer group, or 0) and an "
            "upper bound (programme target or best-performer mean), censored to 0-100, "
            "direction-aware; no score when more than 20 % of inputs are missing (SDSN rules)."
        ),
    ),
    (
        "K32",
        "Peer rank band",
        "Tranche de classement",
        "Franja de clasificación",
        "benchmarking",
        "index",
        "lower",
        "latest",
        False,
        "City",
        None,
        (
            "Rank band of K31 within the peer group (partners, same network, same region, same "
            "population band): 1 = top third, 2 = middle third, 3 = bottom third; bands, not ranks, "
            "because small groups make 2-3 rank differences noise (SDSN)."
        ),
    ),
    (
        "K33",
        "Context indicators",
        "Indicateurs de contexte",
        "Indicadores de contexto",
        "benchmarking",
        "index",
        "higher",
        "latest",
        False,
        "City",
        None,
        (
            "Context, not performance: population, density, GDP per capita, CO2 per capita etc. from "
            "city_context (JRC UDP / Eurostat, StatCan, Census / BEA, SDSN), latest year per metric, "
            "in native units (city_context.unit); never rated or scored, direction not used."
        ),
    ),
]

# ------------------------------------------------------------------ programme cities
# pairing-file name -> (display name, ISO2, GeoNames geonameid) for every name that needs a
# decision; every other name is matched on (name or ascii_name, country) with the largest
# population winning.
CITY_RESOLUTION = {
    "Montreal": ("Montreal", "CA", 6077243),
    "Mérida": ("Mérida", "MX", 3523349),
    "Metropolitan Area of Guadalajara": ("Guadalajara", "MX", 4005539),
    "Burlington (Ontario)": ("Burlington", "CA", 5911592),
    "ANCI Lazio / Rome": ("Rome", "IT", 3169070),
    "Massachusetts Department of Transportation (Boston area)": ("Boston", "US", 4930956),
    "Manchester": ("Manchester", "GB", 2643123),
    "Boston": ("Boston", "US", 4930956),
    "Vitoria-Gasteiz": ("Vitoria-Gasteiz", "ES", 3104499),
    "Ottawa": ("Ottawa", "CA", 6094817),
    "Halifax": ("Halifax", "CA", 6324729),
    "Edmonton": ("Edmonton", "CA", 5946768),
}

# Not in GeoNames cities15000 (see SOURCES.md for the sources of these values).
MANUAL_CITIES = {
    "Vila Nova de Famalicão": {
        "name": "Vila Nova de Famalicão",
        "country_iso2": "PT",
        "population": 133590,
        "population_year": 2021,
        "lat": 41.4079,
        "lon": -8.5198,
        "geonames_id": None,
    },
    "West Athens": {  # regional unit: coordinates of its seat, Peristeri (GeoNames 255524)
        "name": "West Athens",
        "country_iso2": "GR",
        "population": 489675,
        "population_year": 2011,
        "lat": 38.01539,
        "lon": 23.69187,
        "geonames_id": None,
    },
}

# pairing (na_city, eu_city) -> (network_id, basis); see SOURCES.md "network mapping"
NETWORK_BY_PAIR = {
    ("Montreal", "Manchester"): (
        "innovation",
        (
            "brochure quote (Manchester: economic "
            "development, supporting innovation); no themes in file"
        ),
    ),
    ("Mérida", "West Athens"): ("urban_renewal", "no themes in file: assigned, unverified"),
    ("Metropolitan Area of Guadalajara", "Hamburg"): (
        "ecological_transition",
        "no themes in file: assigned, unverified",
    ),
    ("Austin", "Bologna"): (
        "innovation",
        "brochure quote (Austin: innovative ideas); no themes in file",
    ),
    ("Baltimore", "Turin"): (
        "urban_renewal",
        "brochure quote (Turin: equity, inclusion, community welfare); no themes in file",
    ),
    ("Fort Collins", "Vila Nova de Famalicão"): (
        "urban_renewal",
        "themes: sustainable urban mobility, active transport -> Mobility & Transport",
    ),
    ("Santa Monica", "Varna"): ("innovation", "no themes in file: assigned, unverified"),
    ("Boston", "Lyon"): ("innovation", "no themes in file: assigned, unverified"),
    ("New York City", "Barcelona"): ("urban_renewal", "no themes in file: assigned, unverified"),
    ("Burlington (Ontario)", "Växjö"): (
        "ecological_transition",
        "themes: urban park strategy, green infrastructure -> Nature Based Solutions",
    ),
    ("Ottawa", "Malmö"): ("ecological_transition", "themes: circular economy -> Circular Economy"),
    ("Pittsburgh", "Dortmund"): (
        "ecological_transition",
        (
            "themes: municipal hydrogen, climate-friendly food systems, "
            "just transition -> energy transition / urban agriculture"
        ),
    ),
    ("Calgary", "ANCI Lazio / Rome"): (
        "ecological_transition",
        (
            "themes: energy communities, community gardens -> energy "
            "transition / Sustainable urban agriculture"
        ),
    ),
    ("Massachusetts Department of Transportation (Boston area)", "Rotterdam"): (
        "urban_renewal",
        "themes: urban micromobility, active mobility -> Mobility & Transport",
    ),
    ("Edmonton", "Vitoria-Gasteiz"): (
        "ecological_transition",
        "themes: climate adaptation, low-carbon development, biodiversity",
    ),
    ("Ottawa", "Hannover"): (
        "ecological_transition",
        "themes: climate adaptation, low-carbon development, biodiversity",
    ),
    ("Halifax", "Tallinn"): (
        "ecological_transition",
        "themes: climate adaptation, low-carbon development",
    ),
    ("Saanich", "Almada"): ("ecological_transition", "themes: coastal management, resilience"),
}

SUPPORT_MONTHS = 18  # iurc_programme_facts.csv: cooperation_duration_months


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day-of-month `months` later (day 1 is always valid)."""
    y, m = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + y, month=m + 1)


def period_dates(period: str, note: str) -> tuple[dt.date, dt.date]:
    """Start and support-end dates: start of the period (July 2018 for late joiners), end =
    start + 18 months - 1 day, capped at the period's last day."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", period)]
    start = dt.date(2018, 7, 1) if "joined July 2018" in note else dt.date(years[0], 1, 1)
    end = add_months(start, SUPPORT_MONTHS) - dt.timedelta(days=1)
    return start, min(end, dt.date(years[-1], 12, 31))


def load_geonames(path: Path) -> list[dict[str, str]]:
    """Return the GeoNames rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def geonames_city(rows: list[dict[str, str]], raw_name: str, iso2: str) -> dict[str, object]:
    """Resolve one pairing-file city name to a core.city input record."""
    if raw_name in MANUAL_CITIES:
        rec = dict(MANUAL_CITIES[raw_name])
    else:
        name, iso2, gid = CITY_RESOLUTION.get(raw_name, (raw_name, iso2, None))
        if gid is not None:
            hits = [r for r in rows if r["geonameid"] == str(gid)]
        else:
            hits = [
                r
                for r in rows
                if r["country_code"] == iso2 and raw_name in (r["name"], r["ascii_name"])
            ]
            hits.sort(key=lambda r: -int(r["population"] or 0))
        if not hits:
            raise SystemExit(f"city not found in GeoNames: {raw_name} ({iso2})")
        g = hits[0]
        assert g["country_code"] == iso2, (raw_name, g)
        rec = {
            "name": name,
            "country_iso2": iso2,
            "population": int(g["population"]),
            "population_year": None,
            "lat": float(g["latitude"]),
            "lon": float(g["longitude"]),
            "geonames_id": int(g["geonameid"]),
        }
    region = next(c[4] for c in COUNTRIES if c[0] == rec["country_iso2"])
    return {"city_id": city_id(str(rec["name"]), str(rec["country_iso2"])), "region": region, **rec}


def build_programme(src: Path) -> None:
    """Write programme/cities.csv, cooperations.csv, cooperation_members.csv."""
    geo = load_geonames(src / "cities" / GEONAMES_FILE)
    with (src / "iurc" / "iurc_na_pairings.csv").open(encoding="utf-8", newline="") as fh:
        pairings = list(csv.DictReader(fh))
    cities: dict[str, dict[str, object]] = {}
    coops, members = [], []
    for p in pairings:
        na = geonames_city(geo, p["na_city"], COUNTRY_BY_NAME[p["na_country"]])
        eu = geonames_city(geo, p["eu_city"], COUNTRY_BY_NAME[p["eu_country"]])
        for c in (na, eu):
            cities.setdefault(str(c["city_id"]), c)
        na_slug = str(na["city_id"]).rsplit("-", 1)[0]
        eu_slug = str(eu["city_id"]).rsplit("-", 1)[0]
        coop_id = f"pair-{na_slug}-{eu_slug}"
        network_id, _basis = NETWORK_BY_PAIR[(p["na_city"], p["eu_city"])]
        start, end = period_dates(p["period"], p["confidence"])
        coops.append(
            [
                coop_id,
                "pairing",
                f"{na['name']} – {eu['name']}",
                network_id,
                p["phase"],
                start.isoformat(),
                end.isoformat(),
            ]
        )
        members.append([coop_id, eu["city_id"], "lead"])
        members.append([coop_id, na["city_id"], "partner"])
    assert len({c[0] for c in coops}) == len(coops), "duplicate cooperation ids"
    city_cols = [
        "city_id",
        "name",
        "country_iso2",
        "region",
        "population",
        "population_year",
        "lat",
        "lon",
        "geonames_id",
    ]
    write_csv(
        PROGRAMME_OUT / "cities.csv",
        city_cols,
        [
            [c[k] for k in city_cols]
            for c in sorted(cities.values(), key=lambda c: str(c["city_id"]))
        ],
    )
    write_csv(
        PROGRAMME_OUT / "cooperations.csv",
        ["cooperation_id", "mode", "name", "network_id", "phase", "start_date", "support_end_date"],
        coops,
    )
    write_csv(
        PROGRAMME_OUT / "cooperation_members.csv", ["cooperation_id", "city_id", "role"], members
    )
    geo_out = OUT / "geonames" / GEONAMES_FILE
    geo_out.parent.mkdir(exist_ok=True)
    shutil.copyfile(src / "cities" / GEONAMES_FILE, geo_out)


# ------------------------------------------------------------------ SDG
def build_sdg(src: Path) -> None:
    """Write sdg_goal.csv and sdg_target.csv from the open-sdg translations."""
    sdg = src / "sdg"
    with (sdg / "sdg_goals.csv").open(encoding="utf-8", newline="") as fh:
        goals = list(csv.DictReader(fh))
    with (sdg / "sdg_goals_i18n.csv").open(encoding="utf-8", newline="") as fh:
        goal_i18n = {(r["goal"], r["lang"]): r for r in csv.DictReader(fh)}
    # one typo in the source's French short title of goal 8 ("Travaux" for "Travail")
    fixes = {("8", "fr"): "Travail décent et croissance économique"}
    rows = []
    for g in goals:
        n = g["goal"]
        short = [
            fixes.get((n, lang), goal_i18n[(n, lang)]["short_title"]) for lang in ("en", "fr", "es")
        ]
        full = [goal_i18n[(n, lang)]["full_title"] for lang in ("en", "fr", "es")]
        rows.append([int(n), *short, *full, g["colour_hex"].upper(), int(n)])
    write_csv(
        OUT / "sdg_goal.csv",
        [
            "goal",
            "label_en",
            "label_fr",
            "label_es",
            "title_en",
            "title_fr",
            "title_es",
            "colour_hex",
            "sort_order",
        ],
        rows,
    )

    with (sdg / "sdg_targets.csv").open(encoding="utf-8", newline="") as fh:
        targets = list(csv.DictReader(fh))
    with (sdg / "sdg_targets_i18n.csv").open(encoding="utf-8", newline="") as fh:
        target_i18n = {(r["target"], r["lang"]): r["text"] for r in csv.DictReader(fh)}
    write_csv(
        OUT / "sdg_target.csv",
        ["target_id", "goal", "target_type", "label_en", "label_fr", "label_es", "sort_order"],
        [
            [
                t["target"],
                int(t["goal"]),
                t["target_type"],
                *(target_i18n[(t["target"], lang)] for lang in ("en", "fr", "es")),
                i,
            ]
            for i, t in enumerate(targets, start=1)
        ],
    )


def build_code_lists() -> None:
    """Write the hand-compiled code lists and the KPI catalogue."""
    lbl = ["label_en", "label_fr", "label_es"]

    def simple(name: str, key: str, items: list[tuple]) -> None:
        write_csv(
            OUT / name,
            [key, *lbl, "sort_order"],
            [[*it[:4], i] for i, it in enumerate(items, start=1)],
        )

    simple("network.csv", "network_id", NETWORKS)
    write_csv(
        OUT / "subtheme.csv",
        ["subtheme_id", "network_id", *lbl, "sort_order"],
        [[*it, i] for i, it in enumerate(SUBTHEMES, start=1)],
    )
    simple("cross_cutting.csv", "cross_cutting_id", CROSS_CUTTING)
    simple("cooperation_mode.csv", "mode_id", COOPERATION_MODES)
    write_csv(
        OUT / "activity_type.csv",
        ["activity_type_id", *lbl, "is_capacity_building", "sort_order"],
        [[*it, i] for i, it in enumerate(ACTIVITY_TYPES, start=1)],
    )
    simple("modality.csv", "modality_id", MODALITIES)
    simple("stakeholder_type.csv", "stakeholder_type_id", STAKEHOLDER_TYPES)
    simple("output_type.csv", "output_type_id", OUTPUT_TYPES)
    write_csv(
        OUT / "output_status.csv",
        ["status_id", *lbl, "stage", "sort_order"],
        [[*it, i] for i, it in enumerate(OUTPUT_STATUSES, start=1)],
    )
    simple("framework.csv", "framework_id", FRAMEWORKS)
    simple("funding_source.csv", "source_type_id", FUNDING_SOURCES)
    write_csv(
        OUT / "country.csv",
        ["country_iso2", *lbl, "region", "sort_order"],
        [[*it, i] for i, it in enumerate(COUNTRIES, start=1)],
    )
    write_csv(
        OUT / "indicator.csv",
        [
            "indicator_id",
            *lbl,
            "family",
            "definition",
            "unit",
            "direction",
            "aggregation",
            "is_cumulative",
            "levels",
            "interreg_code",
            "sort_order",
        ],
        [
            [k, en, fr, es, fam, definition, unit, direction, agg, cum, levels, code, i]
            for i, (
                k,
                en,
                fr,
                es,
                fam,
                unit,
                direction,
                agg,
                cum,
                levels,
                code,
                definition,
            ) in enumerate(INDICATORS, start=1)
        ],
    )


def main(argv: list[str]) -> None:
    """Rebuild every reference file from the source folder given as the only argument."""
    src = Path(argv[1] if len(argv) > 1 else "/work/shared/reference-data")
    build_code_lists()
    build_sdg(src)
    build_programme(src)


if __name__ == "__main__":
    main(sys.argv)
