"""What enters and leaves as data: spreadsheet and CSV imports, exports, the HSDS 3.0 export.

Imports the domain layers below (`basket`, `teams`, `register`, `store`), never `reports`.
"""
