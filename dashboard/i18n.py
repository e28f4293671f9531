"""Every interface string of the dashboard in English, French and Spanish, and number/date formats.

Use `t(key, lang, **values)` for every user-facing string; `STRINGS` holds one entry per key with
the three languages (a test fails when one is missing). Code-list labels (networks, stakeholder
types, SDG titles, ...) are not here: they come translated from `ref.*` through the query API.

Adding a string: add the key to `STRINGS` with `en`, `fr` and `es`; placeholders use `{name}`
(`str.format`), formatted values go in already formatted with `fmt_number`/`fmt_percent`/...
"""

from __future__ import annotations

import datetime as dt
import math

LANGS: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}  # each in its own language

# Plotly `layout.separators`: decimal mark then thousands separator.
PLOTLY_SEPARATORS = {"en": ".,", "fr": ", ", "es": ",."}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}

STRINGS: dict[str, dict[str, str]] = {
    # ---- application shell
    "app.name": {"en": "IURC Impact", "fr": "IURC Impact", "es": "IURC Impact"},
    "app.tagline": {
        "en": "International Urban and Regional Cooperation — North America",
        "fr": "Coopération internationale urbaine et régionale — Amérique du Nord",
        "es": "Cooperación Internacional Urbana y Regional — América del Norte",
    },
    "app.skip": {
        "en": "Skip to main content", "fr": "Aller au contenu principal",
        "es": "Saltar al contenido principal",
    },
    "app.nav_label": {"en": "Pages", "fr": "Pages", "es": "Páginas"},
    "app.lang_label": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "app.footer": {
        "en": "Open-source impact analytics for the IURC programme. Figures come from the published warehouse.",
        "fr": "Analyse d'impact open source pour le programme IURC. Les chiffres proviennent de l'entrepôt publié.",
        "es": "Análisis de impacto de código abierto para el programa IURC. Las cifras proceden del almacén publicado.",
    },
    "app.data_as_of": {
        "en": "Data as of {date}", "fr": "Données au {date}", "es": "Datos a {date}",
    },
    "app.data_as_of_none": {
        "en": "No data loaded yet", "fr": "Aucune donnée chargée", "es": "Aún no hay datos cargados",
    },
    "app.no_warehouse": {
        "en": "No warehouse found. Run 'iurc demo' or 'iurc ingest' first.",
        "fr": "Aucun entrepôt trouvé. Lancez d'abord « iurc demo » ou « iurc ingest ».",
        "es": "No se encontró el almacén. Ejecute primero «iurc demo» o «iurc ingest».",
    },
    "app.not_found": {
        "en": "Page not found", "fr": "Page introuvable", "es": "Página no encontrada",
    },
    "app.not_found_text": {
        "en": "This address does not exist. Choose a page in the menu above.",
        "fr": "Cette adresse n'existe pas. Choisissez une page dans le menu ci-dessus.",
        "es": "Esta dirección no existe. Elija una página en el menú superior.",
    },
    # ---- page names (navbar, headings, document title)
    "page.overview": {"en": "Overview", "fr": "Vue d'ensemble", "es": "Resumen"},
    "page.participation": {"en": "Participation", "fr": "Participation", "es": "Participación"},
    "page.sdg": {"en": "SDGs", "fr": "ODD", "es": "ODS"},
    "page.benchmarking": {"en": "Benchmarking", "fr": "Comparaison", "es": "Comparación"},
    "page.cooperation": {"en": "Cooperation", "fr": "Coopération", "es": "Cooperación"},
    "page.activities": {"en": "Activities", "fr": "Activités", "es": "Actividades"},
    "page.data_quality": {"en": "Data quality", "fr": "Qualité des données", "es": "Calidad de los datos"},
    "page.overview.heading": {
        "en": "Programme overview", "fr": "Vue d'ensemble du programme", "es": "Resumen del programa",
    },
    "page.participation.heading": {
        "en": "Who takes part", "fr": "Qui participe", "es": "Quién participa",
    },
    "page.sdg.heading": {
        "en": "Sustainable Development Goals", "fr": "Objectifs de développement durable",
        "es": "Objetivos de Desarrollo Sostenible",
    },
    # ---- filter bar
    "filters.heading": {"en": "Filters", "fr": "Filtres", "es": "Filtros"},
    "filters.start": {"en": "From year", "fr": "De l'année", "es": "Desde el año"},
    "filters.end": {"en": "To year", "fr": "À l'année", "es": "Hasta el año"},
    "filters.network": {"en": "Thematic network", "fr": "Réseau thématique", "es": "Red temática"},
    "filters.subtheme": {"en": "Subtheme", "fr": "Sous-thème", "es": "Subtema"},
    "filters.region": {"en": "Region", "fr": "Région", "es": "Región"},
    "filters.country": {"en": "Country", "fr": "Pays", "es": "País"},
    "filters.mode": {"en": "Cooperation mode", "fr": "Mode de coopération", "es": "Modalidad de cooperación"},
    "filters.any": {"en": "All", "fr": "Tous", "es": "Todos"},
    "filters.reset": {"en": "Reset filters", "fr": "Réinitialiser les filtres", "es": "Restablecer filtros"},
    "filters.none_active": {
        "en": "Showing all data: no filter applied.",
        "fr": "Toutes les données sont affichées : aucun filtre.",
        "es": "Se muestran todos los datos: ningún filtro aplicado.",
    },
    "filters.active": {
        "en": "Filters applied: {items}.", "fr": "Filtres appliqués : {items}.",
        "es": "Filtros aplicados: {items}.",
    },
    "filters.period": {"en": "period {start} to {end}", "fr": "période du {start} au {end}",
                       "es": "periodo del {start} al {end}"},
    "filters.open_start": {"en": "start", "fr": "début", "es": "inicio"},
    "filters.open_end": {"en": "today", "fr": "aujourd'hui", "es": "hoy"},
    "region.EU": {"en": "Europe", "fr": "Europe", "es": "Europa"},
    "region.NA": {"en": "North America", "fr": "Amérique du Nord", "es": "América del Norte"},
    # ---- dcc.Dropdown's own labels
    "dropdown.select_all": {"en": "Select all", "fr": "Tout sélectionner", "es": "Seleccionar todo"},
    "dropdown.deselect_all": {"en": "Deselect all", "fr": "Tout désélectionner", "es": "Deseleccionar todo"},
    "dropdown.selected_count": {"en": "{num_selected} selected", "fr": "{num_selected} sélectionné(s)",
                                "es": "{num_selected} seleccionado(s)"},
    "dropdown.search": {"en": "Search", "fr": "Rechercher", "es": "Buscar"},
    "dropdown.clear_search": {"en": "Clear search", "fr": "Effacer la recherche", "es": "Borrar búsqueda"},
    "dropdown.clear_selection": {"en": "Clear selection", "fr": "Effacer la sélection",
                                 "es": "Borrar selección"},
    "dropdown.no_options_found": {"en": "No options found", "fr": "Aucune option", "es": "Sin opciones"},
    # ---- chart cards
    "card.show_table": {"en": "Show the data as a table", "fr": "Afficher les données sous forme de tableau",
                        "es": "Mostrar los datos como tabla"},
    "card.download_csv": {"en": "Download CSV", "fr": "Télécharger CSV", "es": "Descargar CSV"},
    "card.download_xlsx": {"en": "Download XLSX", "fr": "Télécharger XLSX", "es": "Descargar XLSX"},
    "card.table_truncated": {
        "en": "First {shown} of {total} rows. Download the file for all rows.",
        "fr": "{shown} premières lignes sur {total}. Téléchargez le fichier pour toutes les lignes.",
        "es": "Primeras {shown} de {total} filas. Descargue el archivo para ver todas.",
    },
    "card.empty": {
        "en": "No data for this filter.", "fr": "Aucune donnée pour ce filtre.",
        "es": "No hay datos para este filtro.",
    },
    "card.empty_hint": {
        "en": "No data for this filter. Widen the period or clear a filter.",
        "fr": "Aucune donnée pour ce filtre. Élargissez la période ou retirez un filtre.",
        "es": "No hay datos para este filtro. Amplíe el periodo o quite un filtro.",
    },
    "card.loading": {"en": "Loading…", "fr": "Chargement…", "es": "Cargando…"},
    "card.error": {
        "en": "This chart could not be computed.", "fr": "Ce graphique n'a pas pu être calculé.",
        "es": "No se pudo calcular este gráfico.",
    },
    # ---- overview page
    "overview.scorecard": {"en": "KPI scorecard", "fr": "Tableau de bord des indicateurs",
                           "es": "Cuadro de indicadores"},
    "overview.scorecard_intro": {
        "en": "Each card compares the value reached with its target. Status: on track (≥ 90 % of target), at risk (60–89 %), off track (< 60 %).",
        "fr": "Chaque carte compare la valeur atteinte à sa cible. Statut : en bonne voie (≥ 90 % de la cible), à risque (60–89 %), en retard (< 60 %).",
        "es": "Cada tarjeta compara el valor alcanzado con su meta. Estado: en curso (≥ 90 % de la meta), en riesgo (60–89 %), retrasado (< 60 %).",
    },
    "overview.by_network": {"en": "Activity by thematic network", "fr": "Activité par réseau thématique",
                            "es": "Actividad por red temática"},
    "overview.map": {"en": "Participating cities", "fr": "Villes participantes",
                     "es": "Ciudades participantes"},
    "kpi.value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "kpi.target": {"en": "Target {value}", "fr": "Cible {value}", "es": "Meta {value}"},
    "kpi.no_target": {"en": "No target set", "fr": "Pas de cible", "es": "Sin meta"},
    "kpi.achieved": {"en": "{pct} of target", "fr": "{pct} de la cible", "es": "{pct} de la meta"},
    "kpi.lower_better": {"en": "Lower is better", "fr": "Plus bas, c'est mieux", "es": "Cuanto más bajo, mejor"},
    "rag.green": {"en": "On track", "fr": "En bonne voie", "es": "En curso"},
    "rag.amber": {"en": "At risk", "fr": "À risque", "es": "En riesgo"},
    "rag.red": {"en": "Off track", "fr": "En retard", "es": "Retrasado"},
    "rag.none": {"en": "Not rated", "fr": "Non évalué", "es": "Sin evaluar"},
    "kpi.trend": {"en": "Trend", "fr": "Tendance", "es": "Tendencia"},
    # ---- participation page
    "part.over_time": {"en": "Participations over time by stakeholder type",
                       "fr": "Participations dans le temps par type d'acteur",
                       "es": "Participaciones en el tiempo por tipo de actor"},
    "part.by_type": {"en": "By activity type and modality", "fr": "Par type d'activité et modalité",
                     "es": "Por tipo de actividad y modalidad"},
    "part.balance": {"en": "Europe and North America", "fr": "Europe et Amérique du Nord",
                     "es": "Europa y América del Norte"},
    "part.gender": {"en": "Gender balance", "fr": "Équilibre femmes-hommes", "es": "Equilibrio de género"},
    "part.top_cities": {"en": "Top cities", "fr": "Principales villes", "es": "Principales ciudades"},
    "part.measure": {"en": "Count", "fr": "Mesure", "es": "Medida"},
    "part.measure.participations": {"en": "Participations (summed)", "fr": "Participations (somme)",
                                    "es": "Participaciones (suma)"},
    "part.measure.distinct": {"en": "Distinct cities and organisations",
                              "fr": "Villes et organisations distinctes",
                              "es": "Ciudades y organizaciones distintas"},
    "part.women": {"en": "Women", "fr": "Femmes", "es": "Mujeres"},
    "part.men_other": {"en": "Men and others declared", "fr": "Hommes et autres déclarés",
                       "es": "Hombres y otros declarados"},
    "part.undeclared": {"en": "Not declared", "fr": "Non déclaré", "es": "No declarado"},
    # ---- SDG page
    "sdg.profile": {"en": "SDG profile", "fr": "Profil ODD", "es": "Perfil ODS"},
    "sdg.method": {"en": "Counting", "fr": "Comptage", "es": "Recuento"},
    "sdg.method.primary": {"en": "Primary goal only", "fr": "Objectif principal seulement",
                           "es": "Solo el objetivo principal"},
    "sdg.method.fractional": {"en": "Fractional (shared across tagged goals)",
                              "fr": "Fractionnaire (réparti entre les objectifs associés)",
                              "es": "Fraccionado (repartido entre los objetivos etiquetados)"},
    "sdg.heatmap": {"en": "Thematic network × goal", "fr": "Réseau thématique × objectif",
                    "es": "Red temática × objetivo"},
    "sdg.targets": {"en": "Targets of the selected goal", "fr": "Cibles de l'objectif choisi",
                    "es": "Metas del objetivo seleccionado"},
    "sdg.goal_select": {"en": "Goal", "fr": "Objectif", "es": "Objetivo"},
    "sdg.coverage": {"en": "Target coverage", "fr": "Couverture des cibles", "es": "Cobertura de metas"},
    "sdg.review": {"en": "Tags by method and review status", "fr": "Étiquettes par méthode et statut de revue",
                   "es": "Etiquetas por método y estado de revisión"},
    "sdg.colours_note": {
        "en": "Goal colours are the official UN SDG colours; every bar is also labelled with its goal number.",
        "fr": "Les couleurs des objectifs sont les couleurs officielles des ODD de l'ONU ; chaque barre porte aussi le numéro de son objectif.",
        "es": "Los colores de los objetivos son los oficiales de los ODS de la ONU; cada barra lleva también el número de su objetivo.",
    },
    # ---- axis and legend titles
    "axis.period": {"en": "Period", "fr": "Période", "es": "Periodo"},
    "axis.participations": {"en": "Participations", "fr": "Participations", "es": "Participaciones"},
    "axis.activities": {"en": "Activities", "fr": "Activités", "es": "Actividades"},
    "axis.cities": {"en": "Cities", "fr": "Villes", "es": "Ciudades"},
    "axis.organisations": {"en": "Organisations", "fr": "Organisations", "es": "Organizaciones"},
    "axis.share": {"en": "Share", "fr": "Part", "es": "Proporción"},
    "axis.count": {"en": "Count", "fr": "Nombre", "es": "Número"},
    "axis.goal": {"en": "Goal", "fr": "Objectif", "es": "Objetivo"},
    "axis.network": {"en": "Thematic network", "fr": "Réseau thématique", "es": "Red temática"},
    "axis.stakeholder": {"en": "Stakeholder type", "fr": "Type d'acteur", "es": "Tipo de actor"},
    "axis.activity_type": {"en": "Activity type", "fr": "Type d'activité", "es": "Tipo de actividad"},
    "axis.modality": {"en": "Modality", "fr": "Modalité", "es": "Modalidad"},
    "axis.region": {"en": "Region", "fr": "Région", "es": "Región"},
    "axis.city": {"en": "City", "fr": "Ville", "es": "Ciudad"},
    "axis.target": {"en": "SDG target", "fr": "Cible ODD", "es": "Meta ODS"},
    "axis.method": {"en": "Method", "fr": "Méthode", "es": "Método"},
    "axis.status": {"en": "Review status", "fr": "Statut de revue", "es": "Estado de revisión"},
    "axis.tags": {"en": "Tags", "fr": "Étiquettes", "es": "Etiquetas"},
    "axis.weight": {"en": "Weighted count", "fr": "Nombre pondéré", "es": "Recuento ponderado"},
    "axis.kpi": {"en": "Indicator", "fr": "Indicateur", "es": "Indicador"},
    # ---- screen-reader summaries
    "sum.total": {"en": "{title}: {total} in total.", "fr": "{title} : {total} au total.",
                  "es": "{title}: {total} en total."},
    "sum.largest": {"en": "Largest: {label} with {value}.", "fr": "Le plus élevé : {label} avec {value}.",
                    "es": "El mayor: {label} con {value}."},
    "sum.range": {"en": "From {first} to {last}; peak in {peak} with {value}.",
                  "fr": "De {first} à {last} ; pic en {peak} avec {value}.",
                  "es": "De {first} a {last}; máximo en {peak} con {value}."},
    "sum.share": {"en": "{label}: {pct}.", "fr": "{label} : {pct}.", "es": "{label}: {pct}."},
    "sum.scorecard": {
        "en": "{n} indicators: {green} on track, {amber} at risk, {red} off track, {none} not rated.",
        "fr": "{n} indicateurs : {green} en bonne voie, {amber} à risque, {red} en retard, {none} non évalués.",
        "es": "{n} indicadores: {green} en curso, {amber} en riesgo, {red} retrasados, {none} sin evaluar.",
    },
    "sum.map": {"en": "{n} cities: {eu} in Europe, {na} in North America.",
                "fr": "{n} villes : {eu} en Europe, {na} en Amérique du Nord.",
                "es": "{n} ciudades: {eu} en Europa, {na} en América del Norte."},
    "sum.gender": {
        "en": "Women are {pct} of declared participations; {undeclared} participations have no gender declared.",
        "fr": "Les femmes représentent {pct} des participations déclarées ; {undeclared} participations sans genre déclaré.",
        "es": "Las mujeres son el {pct} de las participaciones declaradas; {undeclared} participaciones sin género declarado.",
    },
    "sum.heatmap": {"en": "Strongest combination: {row} and {col} with {value}.",
                    "fr": "Combinaison la plus forte : {row} et {col} avec {value}.",
                    "es": "Combinación más fuerte: {row} y {col} con {value}."},
}


def normalise_lang(value: object) -> str:
    """Return a supported language code for `value` (e.g. 'fr-CA' -> 'fr'), else the default."""
    code = str(value or "").strip().lower()[:2]
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Return the interface string `key` in `lang`, with `{name}` placeholders filled from values.

    An unknown key raises KeyError: a missing string is a bug that tests should catch, never a
    silent fallback to English.
    """
    text = STRINGS[key][normalise_lang(lang)]
    return text.format(**values) if values else text


def _group(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Return `value` formatted for `lang`: 1,234.5 (en), 1 234,5 (fr, narrow space), 1.234,5 (es)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    lang = normalise_lang(lang)
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, frac = text.partition(".")
    thousands, decimal = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}[lang]
    # Spanish (RAE) does not group four-digit numbers.
    if lang == "es" and len(whole) == 4:
        grouped = whole
    else:
        grouped = _group(whole, thousands)
    sign = "-" if float(value) < 0 and float(text) != 0 else ""
    return sign + grouped + (decimal + frac if frac else "")


def fmt_percent(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Return a percentage (value already in percent, e.g. 85.2) as '85%' (en) or '85 %' (fr, es)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = fmt_number(value, lang, decimals)
    return number + ("%" if normalise_lang(lang) == "en" else "\u00a0%")


def fmt_eur(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """Return an amount in euros: €1,234,567 (en), 1 234 567 € (fr, es)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = fmt_number(value, lang, 0)
    return "€" + number if normalise_lang(lang) == "en" else number + "\u00a0€"


def fmt_date(value: dt.date | dt.datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """Return a date written out for `lang`: '5 March 2025', '5 mars 2025', '5 de marzo de 2025'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    lang = normalise_lang(lang)
    month = _MONTHS[lang][value.month - 1]
    if lang == "es":
        return f"{value.day} de {month} de {value.year}"
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {month} {value.year}"


def fmt_value(value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """Return a KPI value formatted by its unit (count, percent, eur, days, score, index)."""
    if unit == "percent":
        return fmt_percent(value, lang, 0)
    if unit == "eur":
        return fmt_eur(value, lang)
    if unit in {"score", "index"}:
        return fmt_number(value, lang, 2 if value is not None and abs(value) < 10 else 0)
    if unit == "days":
        return fmt_number(value, lang, 0)
    return fmt_number(value, lang, 0)
