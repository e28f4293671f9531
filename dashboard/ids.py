"""Component ids, one constant each, prefixed by the page that owns them ('app' = the shell).

Chart cards use dict ids built by `components.card_id(part, card)`, where `card` is one of the
`*_CARD` constants below and `part` one of the `CARD_*` part names, so that one generic callback
(the export) can match every card with `MATCH`.
"""

# ---- shell: present on every page (rendered by components.page_shell)
STATE = "app-state"                # dcc.Store {"q": filter query string, "lang": code}
STATE_SINK = "app-state-sink"      # dummy output of the clientside URL/lang sync
FILTER_STATUS = "app-filter-status"  # aria-live text describing the active filters
NAV_LINK = "app-nav-link"          # pattern type: {"type": NAV_LINK, "page": path}
LANG_LINK = "app-lang-link"        # pattern type: {"type": LANG_LINK, "lang": code}
DATA_AS_OF = "app-data-as-of"
MAIN = "main-content"              # target of the skip link

# ---- global filter bar
F_START = "filter-start"
F_END = "filter-end"
F_NETWORK = "filter-network"
F_SUBTHEME = "filter-subtheme"
F_REGION = "filter-region"
F_COUNTRY = "filter-country"
F_MODE = "filter-mode"
F_RESET = "filter-reset"
FILTER_CONTROLS = (F_START, F_END, F_NETWORK, F_SUBTHEME, F_REGION, F_COUNTRY, F_MODE)

# ---- chart-card parts (dict ids: {"type": CARD_GRAPH, "card": <card constant>})
CARD_GRAPH = "card-graph"
CARD_SUMMARY = "card-summary"
CARD_TABLE = "card-table"
CARD_CSV = "card-csv"
CARD_XLSX = "card-xlsx"
CARD_DOWNLOAD = "card-download"

# ---- overview page
OVERVIEW_SCORECARD = "overview-scorecard"
OVERVIEW_SCORECARD_SUMMARY = "overview-scorecard-summary"
OVERVIEW_SCORECARD_CARD = "overview-scorecard-card"  # export/table of the scorecard
OVERVIEW_NETWORK_CARD = "overview-network"
OVERVIEW_MAP_CARD = "overview-map"

# ---- participation page
PART_MEASURE = "participation-measure"
PART_TIME_CARD = "participation-time"
PART_TYPE_CARD = "participation-type"
PART_BALANCE_CARD = "participation-balance"
PART_GENDER_CARD = "participation-gender"
PART_CITIES_CARD = "participation-cities"

# ---- SDG page
SDG_METHOD = "sdg-method"
SDG_GOAL = "sdg-goal"
SDG_PROFILE_CARD = "sdg-profile"
SDG_HEATMAP_CARD = "sdg-heatmap"
SDG_TARGETS_CARD = "sdg-targets"
SDG_COVERAGE_CARD = "sdg-coverage"
SDG_REVIEW_CARD = "sdg-review"
