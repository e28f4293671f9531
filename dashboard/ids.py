"""Component ids, one constant each, prefixed by the page that owns them ('app' = the shell).

Chart cards use dict ids built by `components.card_id(part, card)`, where `card` is one of the
`*_CARD` constants below and `part` one of the `CARD_*` part names, so that one generic callback
(the export) can match every card with `MATCH`.
"""

# ---- shell: present on every page (rendered by components.page_shell)
STATE = "app-state"  # dcc.Store {"q": filter query string, "lang": code}
STATE_SINK = "app-state-sink"  # dummy output of the clientside URL/lang sync
FILTER_STATUS = "app-filter-status"  # aria-live text describing the active filters
NAV_LINK = "app-nav-link"  # pattern type: {"type": NAV_LINK, "page": path}
LANG_LINK = "app-lang-link"  # pattern type: {"type": LANG_LINK, "lang": code}
DATA_AS_OF = "app-data-as-of"
MAIN = "main-content"  # target of the skip link

# ---- global filter bar
F_START = "filter-start"
F_END = "filter-end"
F_NETWORK = "filter-network"
F_SUBTHEME = "filter-subtheme"
F_REGION = "filter-region"
F_COUNTRY = "filter-country"
F_MODE = "filter-mode"
F_CHALLENGE = "filter-challenge"
F_RESET = "filter-reset"
F_TOGGLE = "filter-toggle"  # shows / hides the filter controls on a phone (<= 600 px)
F_PANEL = "filter-panel"  # the controls the toggle shows and hides
FILTER_CONTROLS = (
    F_START,
    F_END,
    F_NETWORK,
    F_SUBTHEME,
    F_REGION,
    F_COUNTRY,
    F_MODE,
    F_CHALLENGE,
)

# ---- chart-card parts (dict ids: {"type": CARD_GRAPH, "card": <card constant>})
CARD_GRAPH = "card-graph"
CARD_SUMMARY = "card-summary"
CARD_TABLE = "card-table"
CARD_TABLE_ROWS = "card-table-rows"  # the table itself, drawn into CARD_TABLE once opened
CARD_CSV = "card-csv"
CARD_XLSX = "card-xlsx"
CARD_DOWNLOAD = "card-download"
CARD_DOWNLOAD_XLSX = "card-download-xlsx"

# ---- overview page
OVERVIEW_SCORECARD = "overview-scorecard"
OVERVIEW_SCORECARD_SUMMARY = "overview-scorecard-summary"
OVERVIEW_SCORECARD_CARD = "overview-scorecard-card"  # export/table of the scorecard
OVERVIEW_NETWORK_CARD = "overview-network"
OVERVIEW_MAP_CARD = "overview-map"
OVERVIEW_REPORT_BUTTON = "overview-report-button"  # "Download report": the periodic KPI report
OVERVIEW_REPORT_DOWNLOAD = "overview-report-download"
OVERVIEW_REPORT_STATUS = "overview-report-status"  # "Building the report..." while it runs
OVERVIEW_REPORT_ERROR = "overview-report-error"

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
# The switch, the tagging-method filter and the badge saying which tags the figures count. Their
# callback also listens to the bar's "Reset filters", which every page has: wildcard ids (matched
# with ALL) let it run where they are absent instead of naming a component that does not exist.
SDG_REVIEW = {"type": "sdg-review-basis", "page": "sdg"}
SDG_TAG_METHOD = {"type": "sdg-tag-method", "page": "sdg"}
SDG_BASIS = {"type": "sdg-basis", "page": "sdg"}
SDG_PROFILE_CARD = "sdg-profile"
SDG_HEATMAP_CARD = "sdg-heatmap"
SDG_TARGETS_CARD = "sdg-targets"
SDG_COVERAGE_CARD = "sdg-coverage"
SDG_REVIEW_CARD = "sdg-review"

# ---- page selections kept in the URL (benchmarking, cooperation, activities, data quality;
#      see dashboard/page_params.py)
PM_PARAMS = "page-params"  # dcc.Store {param: value} of the page's own URL parameters
PM_SINK = "page-params-sink"  # dummy output of the clientside URL sync
PM_CSV = "pm-csv"  # pattern type {"type": PM_CSV, "card": card}: export that
PM_XLSX = "pm-xlsx"  #   also needs the page's selection (city, cooperation, ...)
PM_DOWNLOAD = "pm-download"
PM_DOWNLOAD_XLSX = "pm-download-xlsx"

# ---- benchmarking page
BENCH_CITY = "bench-city"
BENCH_PEER = "bench-peer"
BENCH_SCORES_CARD = "bench-scores"
BENCH_RANKING_CARD = "bench-ranking"
BENCH_CONTEXT_CARD = "bench-context"
BENCH_CONTEXT_TABLE = "bench-context-table"
BENCH_CONTEXT_SUMMARY = "bench-context-summary"
BENCH_VERDICT = "bench-verdict"

# ---- cooperation page
COOP_SELECT = "coop-select"
COOP_NETWORK_CARD = "coop-network"
COOP_DETAIL = "coop-detail"
COOP_NAV = "coop-nav"  # dcc.Location: a city clicked on the map opens its profile
COOP_ACTIVITIES_CARD = "coop-activities"
COOP_FUNNEL_CARD = "coop-funnel"
COOP_FUNDING_CARD = "coop-funding"
COOP_SDG_CARD = "coop-sdg"

# ---- activities register
ACT_SEARCH = "act-search"
ACT_SORT = "act-sort"  # pattern type {"type": ACT_SORT, "col": column}
ACT_SORT_TH = "act-sort-th"  # pattern type {"type": ACT_SORT_TH, "col": column}
ACT_BODY = "act-body"
ACT_STATUS = "act-status"
ACT_PREV = "act-prev"
ACT_NEXT = "act-next"
ACT_SIZE = "act-size"
ACT_CSV = "act-csv"
ACT_XLSX = "act-xlsx"
ACT_DOWNLOAD = "act-download"
ACT_EXPORT_NOTE = "act-export-note"
ACT_CHALLENGE_CARD = "act-challenge"
ACT_CHALLENGE_MEASURE = "act-challenge-measure"

# ---- data-quality page
DQ_RUNS_CARD = "dq-runs"
DQ_RULES_CARD = "dq-rules"
DQ_QUAR_FILE = "dq-quarantine-file"
DQ_QUAR_BODY = "dq-quarantine-body"
DQ_QUAR_STATUS = "dq-quarantine-status"
DQ_QUAR_PREV = "dq-quarantine-prev"
DQ_QUAR_NEXT = "dq-quarantine-next"
DQ_QUAR_CARD = "dq-quarantine"
DQ_TABLES_CARD = "dq-tables"
DQ_CITY_CARD = "dq-city"
DQ_TEMPLATE = "dq-template"  # pattern type {"type": DQ_TEMPLATE, "entity": e, "fmt": f}
DQ_TEMPLATE_DOWNLOAD = "dq-template-download"  # pattern type {"type": ..., "entity": e, "fmt": f}

# ---- /city/<city_id>
CITY_ID = "city-id"
CITY_BODY = "city-body"

# ---- /practices
PRAC_SEARCH = "prac-search"
PRAC_GOAL = "prac-goal"
PRAC_TYPE = "prac-type"
PRAC_CSV = "prac-csv"
PRAC_DOWNLOAD = "prac-download"
PRAC_STATUS = "prac-status"
PRAC_LIST = "prac-list"
PRAC_PREV = "prac-prev"
PRAC_NEXT = "prac-next"
PRAC_PAGER = "prac-pager"
