"""The periodic KPI report: its scope, the figures it states (gathered from the metric layer
only), its Jinja2 templates and the PDF made from their HTML.

`scope.ReportScope` says which period and place; `gather.gather` reads every figure through
`pipelines.queries`; `html.render_html` fills the templates (autoescaped); `pdf.html_to_pdf`
prints the HTML with WeasyPrint. The words, number formats and charts come from the layer that
calls these (`dashboard.report`), which owns the interface strings and the figure builders.
"""
