"""Documents and reports: the context of each report, rendering, charts, the report site,
meeting documents, summary indicators and user templates.

Imports the domain layers below (`basket`, `teams`, `register`, `store`), never `exchange`.
"""
