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
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
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
        "en": "Skip to main content",
        "fr": "Aller au contenu principal",
        "es": "Saltar al contenido principal",
    },
    "app.nav_label": {"en": "Pages", "fr": "Pages", "es": "Páginas"},
    "app.current_page": {"en": "current page", "fr": "page actuelle", "es": "página actual"},
    "app.lang_label": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "app.footer": {
        "en": "Open-source impact analytics for the IURC programme. Figures come from the published warehouse.",
        "fr": "Analyse d'impact open source pour le programme IURC. Les chiffres proviennent de l'entrepôt publié.",
        "es": "Análisis de impacto de código abierto para el programa IURC. Las cifras proceden del almacén publicado.",
    },
    "app.data_as_of": {
        "en": "Data as of {date}",
        "fr": "Données au {date}",
        "es": "Datos a {date}",
    },
    "app.data_as_of_none": {
        "en": "No data loaded yet",
        "fr": "Aucune donnée chargée",
        "es": "Aún no hay datos cargados",
    },
    "app.no_warehouse": {
        "en": "No warehouse found. Run 'iurc demo' or 'iurc ingest' first.",
        "fr": "Aucun entrepôt trouvé. Lancez d'abord « iurc demo » ou « iurc ingest ».",
        "es": "No se encontró el almacén. Ejecute primero «iurc demo» o «iurc ingest».",
    },
    "app.not_found": {
        "en": "Page not found",
        "fr": "Page introuvable",
        "es": "Página no encontrada",
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
    "page.data_quality": {
        "en": "Data quality",
        "fr": "Qualité des données",
        "es": "Calidad de los datos",
    },
    "page.overview.heading": {
        "en": "Programme overview",
        "fr": "Vue d'ensemble du programme",
        "es": "Resumen del programa",
    },
    "page.participation.heading": {
        "en": "Who takes part",
        "fr": "Qui participe",
        "es": "Quién participa",
    },
    "page.sdg.heading": {
        "en": "Sustainable Development Goals",
        "fr": "Objectifs de développement durable",
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
    "filters.mode": {
        "en": "Cooperation mode",
        "fr": "Mode de coopération",
        "es": "Modalidad de cooperación",
    },
    "filters.any": {"en": "All", "fr": "Tous", "es": "Todos"},
    "filters.reset": {
        "en": "Reset filters",
        "fr": "Réinitialiser les filtres",
        "es": "Restablecer filtros",
    },
    "filters.none_active": {
        "en": "Showing all data: no filter applied.",
        "fr": "Toutes les données sont affichées : aucun filtre.",
        "es": "Se muestran todos los datos: ningún filtro aplicado.",
    },
    "filters.active": {
        "en": "Filters applied: {items}.",
        "fr": "Filtres appliqués : {items}.",
        "es": "Filtros aplicados: {items}.",
    },
    "filters.period": {
        "en": "period {start} to {end}",
        "fr": "période du {start} au {end}",
        "es": "periodo del {start} al {end}",
    },
    "filters.item": {
        "en": "{label}: {values}",
        "fr": "{label} : {values}",
        "es": "{label}: {values}",
    },
    "filters.open_start": {"en": "start", "fr": "début", "es": "inicio"},
    "filters.open_end": {"en": "today", "fr": "aujourd'hui", "es": "hoy"},
    "region.EU": {"en": "Europe", "fr": "Europe", "es": "Europa"},
    "region.NA": {"en": "North America", "fr": "Amérique du Nord", "es": "América del Norte"},
    # ---- dcc.Dropdown's own labels
    "dropdown.select_all": {
        "en": "Select all",
        "fr": "Tout sélectionner",
        "es": "Seleccionar todo",
    },
    "dropdown.deselect_all": {
        "en": "Deselect all",
        "fr": "Tout désélectionner",
        "es": "Deseleccionar todo",
    },
    "dropdown.selected_count": {
        "en": "{num_selected} selected",
        "fr": "{num_selected} sélectionné(s)",
        "es": "{num_selected} seleccionado(s)",
    },
    "dropdown.search": {"en": "Search", "fr": "Rechercher", "es": "Buscar"},
    "dropdown.clear_search": {
        "en": "Clear search",
        "fr": "Effacer la recherche",
        "es": "Borrar búsqueda",
    },
    "dropdown.clear_selection": {
        "en": "Clear selection",
        "fr": "Effacer la sélection",
        "es": "Borrar selección",
    },
    "dropdown.no_options_found": {
        "en": "No options found",
        "fr": "Aucune option",
        "es": "Sin opciones",
    },
    # ---- chart cards
    "card.show_table": {
        "en": "Show the data as a table",
        "fr": "Afficher les données sous forme de tableau",
        "es": "Mostrar los datos como tabla",
    },
    "card.download_csv": {"en": "Download CSV", "fr": "Télécharger CSV", "es": "Descargar CSV"},
    "card.download_xlsx": {"en": "Download XLSX", "fr": "Télécharger XLSX", "es": "Descargar XLSX"},
    "card.table_truncated": {
        "en": "First {shown} of {total} rows. Download the file for all rows.",
        "fr": "{shown} premières lignes sur {total}. Téléchargez le fichier pour toutes les lignes.",
        "es": "Primeras {shown} de {total} filas. Descargue el archivo para ver todas.",
    },
    "card.empty": {
        "en": "No data for this filter.",
        "fr": "Aucune donnée pour ce filtre.",
        "es": "No hay datos para este filtro.",
    },
    "card.empty_hint": {
        "en": "No data for this filter. Widen the period or clear a filter.",
        "fr": "Aucune donnée pour ce filtre. Élargissez la période ou retirez un filtre.",
        "es": "No hay datos para este filtro. Amplíe el periodo o quite un filtro.",
    },
    "card.loading": {"en": "Loading…", "fr": "Chargement…", "es": "Cargando…"},
    "card.error": {
        "en": "This chart could not be computed.",
        "fr": "Ce graphique n'a pas pu être calculé.",
        "es": "No se pudo calcular este gráfico.",
    },
    # ---- overview page
    "overview.scorecard": {
        "en": "KPI scorecard",
        "fr": "Tableau de bord des indicateurs",
        "es": "Cuadro de indicadores",
    },
    "overview.scorecard_intro": {
        "en": "Each card compares the value reached with its target. Status: on track (≥ 90 % of target), at risk (60–89 %), off track (< 60 %).",
        "fr": "Chaque carte compare la valeur atteinte à sa cible. Statut : en bonne voie (≥ 90 % de la cible), à risque (60–89 %), en retard (< 60 %).",
        "es": "Cada tarjeta compara el valor alcanzado con su meta. Estado: en curso (≥ 90 % de la meta), en riesgo (60–89 %), retrasado (< 60 %).",
    },
    "overview.by_network": {
        "en": "Activity by thematic network",
        "fr": "Activité par réseau thématique",
        "es": "Actividad por red temática",
    },
    "overview.map": {
        "en": "Participating cities",
        "fr": "Villes participantes",
        "es": "Ciudades participantes",
    },
    "kpi.value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "kpi.target": {"en": "Target {value}", "fr": "Cible {value}", "es": "Meta {value}"},
    "kpi.no_target": {"en": "No target set", "fr": "Pas de cible", "es": "Sin meta"},
    "kpi.achieved": {"en": "{pct} of target", "fr": "{pct} de la cible", "es": "{pct} de la meta"},
    "kpi.lower_better": {
        "en": "Lower is better",
        "fr": "Plus bas, c'est mieux",
        "es": "Cuanto más bajo, mejor",
    },
    "rag.green": {"en": "On track", "fr": "En bonne voie", "es": "En curso"},
    "rag.amber": {"en": "At risk", "fr": "À risque", "es": "En riesgo"},
    "rag.red": {"en": "Off track", "fr": "En retard", "es": "Retrasado"},
    "rag.none": {"en": "Not rated", "fr": "Non évalué", "es": "Sin evaluar"},
    "kpi.trend": {"en": "Trend", "fr": "Tendance", "es": "Tendencia"},
    # ---- participation page
    "part.over_time": {
        "en": "Participations over time by stakeholder type",
        "fr": "Participations dans le temps par type d'acteur",
        "es": "Participaciones en el tiempo por tipo de actor",
    },
    "part.by_type": {
        "en": "By activity type and modality",
        "fr": "Par type d'activité et modalité",
        "es": "Por tipo de actividad y modalidad",
    },
    "part.balance": {
        "en": "Europe and North America",
        "fr": "Europe et Amérique du Nord",
        "es": "Europa y América del Norte",
    },
    "part.gender": {
        "en": "Gender balance",
        "fr": "Équilibre femmes-hommes",
        "es": "Equilibrio de género",
    },
    "part.top_cities": {
        "en": "Top cities",
        "fr": "Principales villes",
        "es": "Principales ciudades",
    },
    "part.measure": {"en": "Count", "fr": "Mesure", "es": "Medida"},
    "part.measure.participations": {
        "en": "Participations (summed)",
        "fr": "Participations (somme)",
        "es": "Participaciones (suma)",
    },
    "part.measure.distinct": {
        "en": "Distinct cities and organisations",
        "fr": "Villes et organisations distinctes",
        "es": "Ciudades y organizaciones distintas",
    },
    "part.women": {"en": "Women", "fr": "Femmes", "es": "Mujeres"},
    "part.men_other": {
        "en": "Men and others declared",
        "fr": "Hommes et autres déclarés",
        "es": "Hombres y otros declarados",
    },
    "part.undeclared": {"en": "Not declared", "fr": "Non déclaré", "es": "No declarado"},
    # ---- SDG page
    "sdg.profile": {"en": "SDG profile", "fr": "Profil ODD", "es": "Perfil ODS"},
    "sdg.method": {"en": "Counting", "fr": "Comptage", "es": "Recuento"},
    "sdg.method.primary": {
        "en": "Primary goal only",
        "fr": "Objectif principal seulement",
        "es": "Solo el objetivo principal",
    },
    "sdg.method.fractional": {
        "en": "Fractional (shared across tagged goals)",
        "fr": "Fractionnaire (réparti entre les objectifs associés)",
        "es": "Fraccionado (repartido entre los objetivos etiquetados)",
    },
    "sdg.heatmap": {
        "en": "Thematic network × goal",
        "fr": "Réseau thématique × objectif",
        "es": "Red temática × objetivo",
    },
    "sdg.targets": {
        "en": "Targets of the selected goal",
        "fr": "Cibles de l'objectif choisi",
        "es": "Metas del objetivo seleccionado",
    },
    "sdg.goal_select": {"en": "Goal", "fr": "Objectif", "es": "Objetivo"},
    "sdg.coverage": {
        "en": "Target coverage",
        "fr": "Couverture des cibles",
        "es": "Cobertura de metas",
    },
    "sdg.review": {
        "en": "Tags by method and review status",
        "fr": "Étiquettes par méthode et statut de revue",
        "es": "Etiquetas por método y estado de revisión",
    },
    "sdg.colours_note": {
        "en": "Goal colours are the official UN SDG colours; every bar is also labelled with its goal number.",
        "fr": "Les couleurs des objectifs sont les couleurs officielles des ODD de l'ONU ; chaque barre porte aussi le numéro de son objectif.",
        "es": "Los colores de los objetivos son los oficiales de los ODS de la ONU; cada barra lleva también el número de su objetivo.",
    },
    "sdg.tag.manual": {"en": "Manual", "fr": "Manuelle", "es": "Manual"},
    "sdg.tag.keyword": {
        "en": "Keyword rule",
        "fr": "Règle par mots-clés",
        "es": "Regla de palabras clave",
    },
    "sdg.tag.model": {"en": "Model", "fr": "Modèle", "es": "Modelo"},
    "sdg.tag.suggested": {"en": "Suggested", "fr": "Suggérée", "es": "Sugerida"},
    "sdg.tag.accepted": {"en": "Accepted", "fr": "Acceptée", "es": "Aceptada"},
    "sdg.tag.rejected": {"en": "Rejected", "fr": "Rejetée", "es": "Rechazada"},
    "sdg.validated": {
        "en": "Validated tags",
        "fr": "Étiquettes validées",
        "es": "Etiquetas validadas",
    },
    "sdg.suggested_only": {
        "en": "Suggested only",
        "fr": "Suggérées seulement",
        "es": "Solo sugeridas",
    },
    "sdg.covered": {"en": "Targets covered", "fr": "Cibles couvertes", "es": "Metas cubiertas"},
    "sdg.activities_share": {"en": "Activities", "fr": "Activités", "es": "Actividades"},
    # ---- axis and legend titles
    "axis.period": {"en": "Period", "fr": "Période", "es": "Periodo"},
    "axis.participations": {
        "en": "Participations",
        "fr": "Participations",
        "es": "Participaciones",
    },
    "axis.activities": {"en": "Activities", "fr": "Activités", "es": "Actividades"},
    "axis.cities": {"en": "Cities", "fr": "Villes", "es": "Ciudades"},
    "axis.organisations": {"en": "Organisations", "fr": "Organisations", "es": "Organizaciones"},
    "axis.share": {"en": "Share", "fr": "Part", "es": "Proporción"},
    "axis.count": {"en": "Count", "fr": "Nombre", "es": "Número"},
    "axis.goal": {"en": "Goal", "fr": "Objectif", "es": "Objetivo"},
    "axis.network": {"en": "Thematic network", "fr": "Réseau thématique", "es": "Red temática"},
    "axis.stakeholder": {"en": "Stakeholder type", "fr": "Type d'acteur", "es": "Tipo de actor"},
    "axis.activity_type": {
        "en": "Activity type",
        "fr": "Type d'activité",
        "es": "Tipo de actividad",
    },
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
    "sum.total": {
        "en": "{title}: {total} in total.",
        "fr": "{title} : {total} au total.",
        "es": "{title}: {total} en total.",
    },
    "sum.largest": {
        "en": "Largest: {label} with {value}.",
        "fr": "Le plus élevé : {label} avec {value}.",
        "es": "El mayor: {label} con {value}.",
    },
    "sum.range": {
        "en": "From {first} to {last}; peak in {peak} with {value}.",
        "fr": "De {first} à {last} ; pic en {peak} avec {value}.",
        "es": "De {first} a {last}; máximo en {peak} con {value}.",
    },
    "sum.share": {"en": "{label}: {pct}.", "fr": "{label} : {pct}.", "es": "{label}: {pct}."},
    "sum.scorecard": {
        "en": "{n} indicators: {green} on track, {amber} at risk, {red} off track, {none} not rated.",
        "fr": "{n} indicateurs : {green} en bonne voie, {amber} à risque, {red} en retard, {none} non évalués.",
        "es": "{n} indicadores: {green} en curso, {amber} en riesgo, {red} retrasados, {none} sin evaluar.",
    },
    "sum.map": {
        "en": "{n} cities: {eu} in Europe, {na} in North America.",
        "fr": "{n} villes : {eu} en Europe, {na} en Amérique du Nord.",
        "es": "{n} ciudades: {eu} en Europa, {na} en América del Norte.",
    },
    "sum.gender": {
        "en": "Women are {pct} of declared participations; {undeclared} participations have no gender declared.",
        "fr": "Les femmes représentent {pct} des participations déclarées ; {undeclared} participations sans genre déclaré.",
        "es": "Las mujeres son el {pct} de las participaciones declaradas; {undeclared} participaciones sin género declarado.",
    },
    "sum.heatmap": {
        "en": "Strongest combination: {row} and {col} with {value}.",
        "fr": "Combinaison la plus forte : {row} et {col} avec {value}.",
        "es": "Combinación más fuerte: {row} y {col} con {value}.",
    },
    # ================================================================ pages-more: benchmarking,
    # cooperation, activities register, data quality
    "page.benchmarking.heading": {
        "en": "City benchmarking",
        "fr": "Comparaison des villes",
        "es": "Comparación de ciudades",
    },
    "page.cooperation.heading": {
        "en": "Pairings, trios and clusters",
        "fr": "Jumelages, trios et groupes de villes",
        "es": "Emparejamientos, tríos y grupos de ciudades",
    },
    "page.activities.heading": {
        "en": "Activities register",
        "fr": "Registre des activités",
        "es": "Registro de actividades",
    },
    "page.data_quality.heading": {
        "en": "Data quality",
        "fr": "Qualité des données",
        "es": "Calidad de los datos",
    },
    "pm.scope": {"en": "Scope", "fr": "Portée", "es": "Alcance"},
    # ---- benchmarking
    "bench.city": {"en": "City", "fr": "Ville", "es": "Ciudad"},
    "bench.peer": {"en": "Peer group", "fr": "Groupe de pairs", "es": "Grupo de pares"},
    "bench.peer.partners": {
        "en": "Its partners: {label} and partner cities ({n} cities)",
        "fr": "Ses partenaires : {label} et villes partenaires ({n} villes)",
        "es": "Sus socios: {label} y ciudades socias ({n} ciudades)",
    },
    "bench.peer.network": {
        "en": "Its network: {label} ({n} cities)",
        "fr": "Son réseau : {label} ({n} villes)",
        "es": "Su red: {label} ({n} ciudades)",
    },
    "bench.peer.region": {
        "en": "Its region: {label} ({n} cities)",
        "fr": "Sa région : {label} ({n} villes)",
        "es": "Su región: {label} ({n} ciudades)",
    },
    "bench.peer.population_band": {
        "en": "Its population band: {label} ({n} cities)",
        "fr": "Sa tranche de population : {label} ({n} villes)",
        "es": "Su tramo de población: {label} ({n} ciudades)",
    },
    "band.lt_250k": {
        "en": "under 250,000 inhabitants",
        "fr": "moins de 250 000 habitants",
        "es": "menos de 250 000 habitantes",
    },
    "band.250k_1m": {
        "en": "250,000 to 1 million inhabitants",
        "fr": "250 000 à 1 million d'habitants",
        "es": "de 250 000 a 1 millón de habitantes",
    },
    "band.1m_5m": {
        "en": "1 to 5 million inhabitants",
        "fr": "1 à 5 millions d'habitants",
        "es": "de 1 a 5 millones de habitantes",
    },
    "band.gt_5m": {
        "en": "over 5 million inhabitants",
        "fr": "plus de 5 millions d'habitants",
        "es": "más de 5 millones de habitantes",
    },
    "bench.scope_note": {
        "en": "The benchmark covers the programme to date: the global filters above do not apply on this page. The peer group sets the comparison.",
        "fr": "La comparaison couvre le programme depuis son début : les filtres globaux ci-dessus ne s'appliquent pas sur cette page. Le groupe de pairs définit la comparaison.",
        "es": "La comparación abarca el programa desde su inicio: los filtros globales de arriba no se aplican en esta página. El grupo de pares define la comparación.",
    },
    "bench.method_note": {
        "en": "Each indicator is rescaled from 0 (the peer group's lower bound) to 100 (its upper bound); the engagement score is their equal-weight mean. Rank bands (top, middle, bottom third) are shown instead of exact ranks because peer groups are small.",
        "fr": "Chaque indicateur est ramené sur une échelle de 0 (borne basse du groupe de pairs) à 100 (borne haute) ; le score d'engagement en est la moyenne à poids égaux. Des tiers de classement (premier, deuxième, dernier tiers) remplacent les rangs exacts, car les groupes de pairs sont petits.",
        "es": "Cada indicador se reescala de 0 (límite inferior del grupo de pares) a 100 (límite superior); la puntuación de compromiso es su media con pesos iguales. Se muestran tercios de clasificación (superior, medio, inferior) en lugar de rangos exactos porque los grupos de pares son pequeños.",
    },
    "bench.missing_rule": {
        "en": "Missing-data rule: when more than 20 % of a city's inputs are missing, it gets no engagement score and no rank band.",
        "fr": "Règle des données manquantes : lorsque plus de 20 % des données d'une ville manquent, elle n'obtient ni score d'engagement ni tiers de classement.",
        "es": "Regla de datos faltantes: cuando falta más del 20 % de los datos de una ciudad, no obtiene puntuación de compromiso ni tercio de clasificación.",
    },
    "bench.scores": {
        "en": "Scores per indicator against the peer group (0–100)",
        "fr": "Scores par indicateur face au groupe de pairs (0–100)",
        "es": "Puntuaciones por indicador frente al grupo de pares (0–100)",
    },
    "bench.ranking": {
        "en": "Engagement score across the peer group",
        "fr": "Score d'engagement dans le groupe de pairs",
        "es": "Puntuación de compromiso en el grupo de pares",
    },
    "bench.context": {
        "en": "Context indicators (not performance)",
        "fr": "Indicateurs de contexte (hors performance)",
        "es": "Indicadores de contexto (no de desempeño)",
    },
    "bench.context_note": {
        "en": "These describe the city's situation. They are not scored and do not enter the engagement score or the rank band.",
        "fr": "Ils décrivent la situation de la ville. Ils ne sont pas notés et n'entrent ni dans le score d'engagement ni dans le tiers de classement.",
        "es": "Describen la situación de la ciudad. No se puntúan ni entran en la puntuación de compromiso ni en el tercio de clasificación.",
    },
    "bench.city_score": {
        "en": "City score",
        "fr": "Score de la ville",
        "es": "Puntuación de la ciudad",
    },
    "bench.peer_median": {
        "en": "Peer median",
        "fr": "Médiane des pairs",
        "es": "Mediana de los pares",
    },
    "bench.peer_range": {
        "en": "Peer range (lowest to highest)",
        "fr": "Étendue des pairs (du plus bas au plus haut)",
        "es": "Rango de los pares (del más bajo al más alto)",
    },
    "bench.peer_min": {
        "en": "Peer lowest",
        "fr": "Plus bas des pairs",
        "es": "Más bajo de los pares",
    },
    "bench.peer_max": {
        "en": "Peer highest",
        "fr": "Plus haut des pairs",
        "es": "Más alto de los pares",
    },
    "bench.missing": {"en": "missing", "fr": "manquant", "es": "faltante"},
    "bench.selected": {"en": "selected city", "fr": "ville choisie", "es": "ciudad elegida"},
    "bench.others": {
        "en": "Other cities of the group",
        "fr": "Autres villes du groupe",
        "es": "Otras ciudades del grupo",
    },
    "bench.band.1": {"en": "top third", "fr": "premier tiers", "es": "tercio superior"},
    "bench.band.2": {"en": "middle third", "fr": "tiers médian", "es": "tercio medio"},
    "bench.band.3": {"en": "bottom third", "fr": "dernier tiers", "es": "tercio inferior"},
    "bench.band.none": {
        "en": "no rank band",
        "fr": "pas de tiers de classement",
        "es": "sin tercio de clasificación",
    },
    "bench.no_city": {
        "en": "Choose a city to benchmark.",
        "fr": "Choisissez une ville à comparer.",
        "es": "Elija una ciudad para comparar.",
    },
    "sum.bench": {
        "en": "{city}: engagement score {score} out of 100, {band} of {n} scored cities in this peer group (peer median {median}).",
        "fr": "{city} : score d'engagement de {score} sur 100, {band} des {n} villes notées de ce groupe de pairs (médiane des pairs {median}).",
        "es": "{city}: puntuación de compromiso de {score} sobre 100, {band} de las {n} ciudades puntuadas de este grupo de pares (mediana de los pares {median}).",
    },
    "sum.bench_missing": {
        "en": "{city}: {missing} of {inputs} inputs are missing, more than 20 %, so there is no engagement score.",
        "fr": "{city} : {missing} données sur {inputs} manquent, plus de 20 %, donc pas de score d'engagement.",
        "es": "{city}: faltan {missing} de {inputs} datos, más del 20 %, así que no hay puntuación de compromiso.",
    },
    "sum.bench_inputs": {
        "en": "Above the peer median: {above}. Below: {below}.",
        "fr": "Au-dessus de la médiane des pairs : {above}. En dessous : {below}.",
        "es": "Por encima de la mediana de los pares: {above}. Por debajo: {below}.",
    },
    "sum.none": {"en": "none", "fr": "aucun", "es": "ninguno"},
    "sum.ranking": {
        "en": "{n} cities in the group; highest score {top} ({city}); the selected city ranks in the {band}.",
        "fr": "{n} villes dans le groupe ; score le plus élevé {top} ({city}) ; la ville choisie est dans le {band}.",
        "es": "{n} ciudades en el grupo; puntuación más alta {top} ({city}); la ciudad elegida está en el {band}.",
    },
    "sum.context": {
        "en": "{n} context indicators for {city}.",
        "fr": "{n} indicateurs de contexte pour {city}.",
        "es": "{n} indicadores de contexto para {city}.",
    },
    "ctx.population": {"en": "Population", "fr": "Population", "es": "Población"},
    "ctx.population_density": {
        "en": "Population density",
        "fr": "Densité de population",
        "es": "Densidad de población",
    },
    "ctx.gdp_per_capita": {
        "en": "GDP per capita",
        "fr": "PIB par habitant",
        "es": "PIB per cápita",
    },
    "ctx.co2_per_capita": {
        "en": "CO₂ emissions per capita",
        "fr": "Émissions de CO₂ par habitant",
        "es": "Emisiones de CO₂ per cápita",
    },
    "ctx.green_space_share": {
        "en": "Share of green space",
        "fr": "Part d'espaces verts",
        "es": "Proporción de espacios verdes",
    },
    "axis.score": {"en": "Score (0–100)", "fr": "Score (0–100)", "es": "Puntuación (0–100)"},
    "axis.value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "axis.metric": {"en": "Indicator", "fr": "Indicateur", "es": "Indicador"},
    "axis.year": {"en": "Year", "fr": "Année", "es": "Año"},
    "axis.unit": {"en": "Unit", "fr": "Unité", "es": "Unidad"},
    "axis.source": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "axis.band": {"en": "Rank band", "fr": "Tiers de classement", "es": "Tercio de clasificación"},
    # ---- cooperation
    "coop.select": {"en": "Cooperation", "fr": "Coopération", "es": "Cooperación"},
    "coop.network": {
        "en": "Cooperation network",
        "fr": "Réseau des coopérations",
        "es": "Red de cooperaciones",
    },
    "coop.network_note": {
        "en": "Cities sit at their location, coloured and shaped by region and sized by population. Pairings and trios link their cities; clusters and global networks link their members to a hub (square). Choose a cooperation in the list, or click a link, hub or city.",
        "fr": "Les villes sont placées à leur emplacement, avec une couleur et une forme par région et une taille selon la population. Jumelages et trios relient leurs villes ; groupes et réseaux mondiaux relient leurs membres à un centre (carré). Choisissez une coopération dans la liste, ou cliquez sur un lien, un centre ou une ville.",
        "es": "Las ciudades están en su ubicación, con color y forma según la región y tamaño según la población. Emparejamientos y tríos unen sus ciudades; grupos y redes mundiales unen a sus miembros con un centro (cuadrado). Elija una cooperación en la lista o haga clic en un enlace, un centro o una ciudad.",
    },
    "coop.scope_note": {
        "en": "Every filter chooses the cooperations shown. The selected cooperation's activities, outputs and funding follow the period filter; its SDG profile covers the cooperation to date.",
        "fr": "Tous les filtres choisissent les coopérations affichées. Les activités, réalisations et financements de la coopération choisie suivent le filtre de période ; son profil ODD couvre la coopération depuis son début.",
        "es": "Todos los filtros eligen las cooperaciones mostradas. Las actividades, productos y financiación de la cooperación elegida siguen el filtro de periodo; su perfil ODS abarca la cooperación desde su inicio.",
    },
    "coop.hub": {"en": "hub", "fr": "centre", "es": "centro"},
    "coop.none": {
        "en": "No cooperation matches the filters.",
        "fr": "Aucune coopération ne correspond aux filtres.",
        "es": "Ninguna cooperación coincide con los filtros.",
    },
    "coop.detail": {
        "en": "Selected cooperation",
        "fr": "Coopération choisie",
        "es": "Cooperación elegida",
    },
    "coop.f.mode": {"en": "Mode", "fr": "Mode", "es": "Modalidad"},
    "coop.f.network": {"en": "Thematic network", "fr": "Réseau thématique", "es": "Red temática"},
    "coop.f.phase": {"en": "Phase", "fr": "Phase", "es": "Fase"},
    "coop.f.period": {"en": "Supported", "fr": "Soutenue", "es": "Apoyada"},
    "coop.f.period_value": {
        "en": "from {start} to {end}",
        "fr": "du {start} au {end}",
        "es": "del {start} al {end}",
    },
    "coop.f.members": {"en": "Member cities", "fr": "Villes membres", "es": "Ciudades miembro"},
    "coop.f.activities": {
        "en": "Activities completed (planned)",
        "fr": "Activités réalisées (prévues)",
        "es": "Actividades realizadas (previstas)",
    },
    "coop.f.participations": {
        "en": "Participations",
        "fr": "Participations",
        "es": "Participaciones",
    },
    "coop.f.outputs": {
        "en": "Outputs (adopted)",
        "fr": "Réalisations (adoptées)",
        "es": "Productos (adoptados)",
    },
    "coop.f.funding": {
        "en": "Funding leveraged",
        "fr": "Financements mobilisés",
        "es": "Financiación movilizada",
    },
    "coop.to_date": {
        "en": "Totals since the cooperation began; the charts below follow the period filter.",
        "fr": "Totaux depuis le début de la coopération ; les graphiques ci-dessous suivent le filtre de période.",
        "es": "Totales desde el inicio de la cooperación; los gráficos de abajo siguen el filtro de periodo.",
    },
    "coop.activities": {
        "en": "Its activities by type and status",
        "fr": "Ses activités par type et statut",
        "es": "Sus actividades por tipo y estado",
    },
    "coop.funnel": {
        "en": "Its outputs through their lifecycle",
        "fr": "Ses réalisations au fil de leur cycle de vie",
        "es": "Sus productos a lo largo de su ciclo de vida",
    },
    "coop.funding": {
        "en": "Its funding leveraged",
        "fr": "Ses financements mobilisés",
        "es": "Su financiación movilizada",
    },
    "coop.sdg": {
        "en": "Its SDG profile (validated tags, to date)",
        "fr": "Son profil ODD (étiquettes validées, depuis le début)",
        "es": "Su perfil ODS (etiquetas validadas, desde el inicio)",
    },
    "coop.selected": {"en": "Selected", "fr": "Choisie", "es": "Elegida"},
    "status.planned": {"en": "Planned", "fr": "Prévue", "es": "Prevista"},
    "status.completed": {"en": "Completed", "fr": "Réalisée", "es": "Realizada"},
    "status.cancelled": {"en": "Cancelled", "fr": "Annulée", "es": "Cancelada"},
    "axis.stage": {
        "en": "Lifecycle stage",
        "fr": "Étape du cycle de vie",
        "es": "Etapa del ciclo de vida",
    },
    "axis.output_type": {
        "en": "Output type",
        "fr": "Type de réalisation",
        "es": "Tipo de producto",
    },
    "axis.outputs": {"en": "Outputs", "fr": "Réalisations", "es": "Productos"},
    "axis.amount_eur": {"en": "Amount (EUR)", "fr": "Montant (EUR)", "es": "Importe (EUR)"},
    "axis.source_type": {
        "en": "Source of funds",
        "fr": "Source des fonds",
        "es": "Fuente de fondos",
    },
    "axis.commitments": {"en": "Commitments", "fr": "Engagements", "es": "Compromisos"},
    "axis.mode": {
        "en": "Cooperation mode",
        "fr": "Mode de coopération",
        "es": "Modalidad de cooperación",
    },
    "axis.cooperation": {"en": "Cooperation", "fr": "Coopération", "es": "Cooperación"},
    "axis.population": {"en": "Population", "fr": "Population", "es": "Población"},
    "axis.country": {"en": "Country", "fr": "Pays", "es": "País"},
    "axis.members": {"en": "Member cities", "fr": "Villes membres", "es": "Ciudades miembro"},
    "sum.network": {
        "en": "{n} cooperations link {cities} cities: {eu} in Europe, {na} in North America. Selected: {selected}.",
        "fr": "{n} coopérations relient {cities} villes : {eu} en Europe, {na} en Amérique du Nord. Choisie : {selected}.",
        "es": "{n} cooperaciones unen {cities} ciudades: {eu} en Europa, {na} en América del Norte. Elegida: {selected}.",
    },
    "sum.funnel": {
        "en": "{planned} outputs planned, {implemented} implemented, {adopted} adopted ({pct} of those planned).",
        "fr": "{planned} réalisations prévues, {implemented} mises en œuvre, {adopted} adoptées ({pct} des prévues).",
        "es": "{planned} productos previstos, {implemented} implementados, {adopted} adoptados ({pct} de los previstos).",
    },
    "sum.funding": {
        "en": "{total} leveraged in {n} commitments; largest source: {source}.",
        "fr": "{total} mobilisés en {n} engagements ; première source : {source}.",
        "es": "{total} movilizados en {n} compromisos; principal fuente: {source}.",
    },
    # ---- activities register
    "act.intro": {
        "en": "Every filter applies; the period is matched on the month each activity ends. Search, sorting and paging run on the server, so the register stays fast however large it grows.",
        "fr": "Tous les filtres s'appliquent ; la période porte sur le mois où chaque activité se termine. Recherche, tri et pagination s'exécutent sur le serveur : le registre reste rapide quelle que soit sa taille.",
        "es": "Se aplican todos los filtros; el periodo se compara con el mes en que termina cada actividad. La búsqueda, la ordenación y la paginación se hacen en el servidor, así el registro sigue siendo rápido por grande que sea.",
    },
    "act.search": {
        "en": "Search by title, identifier, host city or cooperation",
        "fr": "Rechercher par titre, identifiant, ville d'accueil ou coopération",
        "es": "Buscar por título, identificador, ciudad anfitriona o cooperación",
    },
    "act.page_size": {"en": "Rows per page", "fr": "Lignes par page", "es": "Filas por página"},
    "act.prev": {"en": "Previous page", "fr": "Page précédente", "es": "Página anterior"},
    "act.next": {"en": "Next page", "fr": "Page suivante", "es": "Página siguiente"},
    "act.pager": {"en": "Pages", "fr": "Pagination", "es": "Paginación"},
    "act.status_line": {
        "en": "Rows {first} to {last} of {total}, page {page} of {pages}.",
        "fr": "Lignes {first} à {last} sur {total}, page {page} sur {pages}.",
        "es": "Filas {first} a {last} de {total}, página {page} de {pages}.",
    },
    "act.none": {
        "en": "No activity matches this search and these filters.",
        "fr": "Aucune activité ne correspond à cette recherche et à ces filtres.",
        "es": "Ninguna actividad coincide con esta búsqueda y estos filtros.",
    },
    "act.sorted_asc": {"en": "sorted ascending", "fr": "tri croissant", "es": "orden ascendente"},
    "act.sorted_desc": {
        "en": "sorted descending",
        "fr": "tri décroissant",
        "es": "orden descendente",
    },
    "act.sort_hint": {
        "en": "Select a column header to sort by it; select it again to reverse the order.",
        "fr": "Sélectionnez un en-tête de colonne pour trier ; sélectionnez-le à nouveau pour inverser l'ordre.",
        "es": "Seleccione un encabezado de columna para ordenar; selecciónelo de nuevo para invertir el orden.",
    },
    "act.col.activity_id": {"en": "Identifier", "fr": "Identifiant", "es": "Identificador"},
    "act.col.title": {"en": "Title", "fr": "Titre", "es": "Título"},
    "act.col.activity_type": {"en": "Type", "fr": "Type", "es": "Tipo"},
    "act.col.modality": {"en": "Modality", "fr": "Modalité", "es": "Modalidad"},
    "act.col.status": {"en": "Status", "fr": "Statut", "es": "Estado"},
    "act.col.start_date": {"en": "Start", "fr": "Début", "es": "Inicio"},
    "act.col.end_date": {"en": "End", "fr": "Fin", "es": "Fin"},
    "act.col.network_id": {"en": "Network", "fr": "Réseau", "es": "Red"},
    "act.col.city_name": {"en": "Host city", "fr": "Ville d'accueil", "es": "Ciudad anfitriona"},
    "act.col.cooperation_name": {"en": "Cooperation", "fr": "Coopération", "es": "Cooperación"},
    "act.col.participants": {"en": "Participants", "fr": "Participants", "es": "Participantes"},
    "act.col.reported_date": {"en": "Reported", "fr": "Déclarée", "es": "Notificada"},
    "act.export": {
        "en": "Export the result",
        "fr": "Exporter le résultat",
        "es": "Exportar el resultado",
    },
    "act.export_note": {
        "en": "Downloads the current filtered and searched result in the current order, with codes and labels: up to {max} rows as CSV, {max_xlsx} as XLSX.",
        "fr": "Télécharge le résultat filtré et recherché actuel, dans l'ordre affiché, avec codes et libellés : jusqu'à {max} lignes en CSV, {max_xlsx} en XLSX.",
        "es": "Descarga el resultado filtrado y buscado actual, en el orden mostrado, con códigos y etiquetas: hasta {max} filas en CSV y {max_xlsx} en XLSX.",
    },
    "act.export_done": {
        "en": "File ready: {rows} rows.",
        "fr": "Fichier prêt : {rows} lignes.",
        "es": "Archivo listo: {rows} filas.",
    },
    "act.export_capped": {
        "en": "File ready: the first {rows} of {total} rows (narrow the search or filters for the rest).",
        "fr": "Fichier prêt : les {rows} premières lignes sur {total} (affinez la recherche ou les filtres pour le reste).",
        "es": "Archivo listo: las primeras {rows} de {total} filas (acote la búsqueda o los filtros para el resto).",
    },
    # ---- data quality
    "dq.scope_note": {
        "en": "Ingest runs, quarantine and completeness by table cover every load and ignore the filters; completeness and timeliness by city follow the region and country filters.",
        "fr": "Les chargements, la quarantaine et la complétude par table couvrent tous les chargements et ignorent les filtres ; la complétude et la ponctualité par ville suivent les filtres de région et de pays.",
        "es": "Las cargas, la cuarentena y la completitud por tabla abarcan todas las cargas e ignoran los filtros; la completitud y la puntualidad por ciudad siguen los filtros de región y país.",
    },
    "dq.runs": {"en": "Latest ingest runs", "fr": "Derniers chargements", "es": "Últimas cargas"},
    "dq.loaded": {"en": "Rows loaded", "fr": "Lignes chargées", "es": "Filas cargadas"},
    "dq.quarantined": {
        "en": "Rows quarantined",
        "fr": "Lignes en quarantaine",
        "es": "Filas en cuarentena",
    },
    "dq.read": {"en": "Rows read", "fr": "Lignes lues", "es": "Filas leídas"},
    "dq.file": {"en": "File", "fr": "Fichier", "es": "Archivo"},
    "dq.entity": {"en": "Entity", "fr": "Entité", "es": "Entidad"},
    "dq.started": {"en": "Started", "fr": "Début", "es": "Inicio"},
    "dq.run_status": {"en": "Status", "fr": "Statut", "es": "Estado"},
    "dq.run.loaded": {"en": "Loaded", "fr": "Chargé", "es": "Cargado"},
    "dq.run.partial": {
        "en": "Partly quarantined",
        "fr": "En partie en quarantaine",
        "es": "En parte en cuarentena",
    },
    "dq.rules": {
        "en": "Quarantined rows by first failing rule",
        "fr": "Lignes en quarantaine par première règle enfreinte",
        "es": "Filas en cuarentena por primera regla incumplida",
    },
    "dq.rule": {"en": "Rule", "fr": "Règle", "es": "Regla"},
    "dq.quarantine": {
        "en": "Quarantined rows and their reasons",
        "fr": "Lignes en quarantaine et leurs motifs",
        "es": "Filas en cuarentena y sus motivos",
    },
    "dq.quarantine_note": {
        "en": "Every rejected row is kept with every reason, traceable to its file and line. Reasons are shown as recorded by the validator.",
        "fr": "Chaque ligne rejetée est conservée avec tous ses motifs, rattachée à son fichier et à sa ligne. Les motifs sont affichés tels que le validateur les a enregistrés.",
        "es": "Cada fila rechazada se conserva con todos sus motivos, rastreable hasta su archivo y su línea. Los motivos se muestran tal como los registró el validador.",
    },
    "dq.all_files": {"en": "All files", "fr": "Tous les fichiers", "es": "Todos los archivos"},
    "dq.line": {"en": "Line", "fr": "Ligne", "es": "Línea"},
    "dq.reasons": {"en": "Reasons", "fr": "Motifs", "es": "Motivos"},
    "dq.raw": {
        "en": "Record as read",
        "fr": "Enregistrement tel que lu",
        "es": "Registro tal como se leyó",
    },
    "dq.no_quarantine": {
        "en": "No row is in quarantine.",
        "fr": "Aucune ligne en quarantaine.",
        "es": "Ninguna fila en cuarentena.",
    },
    "dq.tables": {
        "en": "Completeness by table",
        "fr": "Complétude par table",
        "es": "Completitud por tabla",
    },
    "dq.required": {
        "en": "Cells filled (%)",
        "fr": "Cellules remplies (%)",
        "es": "Celdas completadas (%)",
    },
    "dq.optional": {
        "en": "Optional cells filled (%)",
        "fr": "Cellules facultatives remplies (%)",
        "es": "Celdas opcionales completadas (%)",
    },
    "dq.table": {"en": "Table", "fr": "Table", "es": "Tabla"},
    "dq.city": {
        "en": "Completeness and timeliness by city",
        "fr": "Complétude et ponctualité par ville",
        "es": "Completitud y puntualidad por ciudad",
    },
    "dq.lag": {
        "en": "Median reporting lag (days)",
        "fr": "Délai médian de déclaration (jours)",
        "es": "Retraso mediano de notificación (días)",
    },
    "dq.gender_declared": {
        "en": "Gender declared (%)",
        "fr": "Genre déclaré (%)",
        "es": "Género declarado (%)",
    },
    "dq.last_report": {
        "en": "Last report",
        "fr": "Dernière déclaration",
        "es": "Última notificación",
    },
    "dq.completed": {
        "en": "Completed activities",
        "fr": "Activités réalisées",
        "es": "Actividades realizadas",
    },
    "dq.templates": {
        "en": "Input templates",
        "fr": "Modèles de saisie",
        "es": "Plantillas de entrada",
    },
    "dq.templates_note": {
        "en": "Download a template, fill it in and load it with 'iurc ingest'. The XLSX version describes every column and offers the codes as drop-down lists.",
        "fr": "Téléchargez un modèle, remplissez-le et chargez-le avec « iurc ingest ». La version XLSX décrit chaque colonne et propose les codes en listes déroulantes.",
        "es": "Descargue una plantilla, complétela y cárguela con «iurc ingest». La versión XLSX describe cada columna y ofrece los códigos en listas desplegables.",
    },
    "dq.template_csv": {
        "en": "CSV template: {entity}",
        "fr": "Modèle CSV : {entity}",
        "es": "Plantilla CSV: {entity}",
    },
    "dq.template_xlsx": {
        "en": "XLSX template: {entity}",
        "fr": "Modèle XLSX : {entity}",
        "es": "Plantilla XLSX: {entity}",
    },
    "entity.city": {"en": "Cities", "fr": "Villes", "es": "Ciudades"},
    "entity.cooperation": {"en": "Cooperations", "fr": "Coopérations", "es": "Cooperaciones"},
    "entity.cooperation_member": {
        "en": "Cooperation members",
        "fr": "Membres des coopérations",
        "es": "Miembros de las cooperaciones",
    },
    "entity.activity": {"en": "Activities", "fr": "Activités", "es": "Actividades"},
    "entity.participation": {
        "en": "Participations",
        "fr": "Participations",
        "es": "Participaciones",
    },
    "entity.output": {"en": "Outputs", "fr": "Réalisations", "es": "Productos"},
    "entity.funding": {"en": "Funding", "fr": "Financements", "es": "Financiación"},
    "entity.target": {"en": "Targets", "fr": "Cibles", "es": "Metas"},
    "entity.observation": {"en": "Observations", "fr": "Observations", "es": "Observaciones"},
    "entity.sdg_alignment": {
        "en": "SDG alignments",
        "fr": "Alignements ODD",
        "es": "Alineaciones ODS",
    },
    "entity.city_context": {
        "en": "City context",
        "fr": "Contexte des villes",
        "es": "Contexto de las ciudades",
    },
    "sum.runs": {
        "en": "{n} runs: {read} rows read, {loaded} loaded, {quarantined} quarantined.",
        "fr": "{n} chargements : {read} lignes lues, {loaded} chargées, {quarantined} en quarantaine.",
        "es": "{n} cargas: {read} filas leídas, {loaded} cargadas, {quarantined} en cuarentena.",
    },
    "sum.timeliness": {
        "en": "{n} completed activities were reported on average {mean} days after they ended (median {median} days); last report {date}.",
        "fr": "{n} activités réalisées ont été déclarées en moyenne {mean} jours après leur fin (médiane {median} jours) ; dernière déclaration le {date}.",
        "es": "{n} actividades realizadas se notificaron en promedio {mean} días después de terminar (mediana {median} días); última notificación el {date}.",
    },
    "sum.table_quality": {
        "en": "{n} tables; least complete: {table} with {pct} of cells filled.",
        "fr": "{n} tables ; la moins complète : {table} avec {pct} de cellules remplies.",
        "es": "{n} tablas; la menos completa: {table} con {pct} de celdas completadas.",
    },
    "sum.city_quality": {
        "en": "{n} cities; least complete: {city} with {pct} of cells filled.",
        "fr": "{n} villes ; la moins complète : {city} avec {pct} de cellules remplies.",
        "es": "{n} ciudades; la menos completa: {city} con {pct} de celdas completadas.",
    },
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
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def fmt_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Return `value` formatted for `lang`: 1,234.5 (en), 1 234,5 (fr, narrow space), 1.234,5 (es)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    lang = normalise_lang(lang)
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, frac = text.partition(".")
    thousands, decimal = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}[lang]
    # Spanish (RAE) does not group four-digit numbers.
    grouped = whole if lang == "es" and len(whole) == 4 else _group(whole, thousands)
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
