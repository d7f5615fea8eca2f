"""Files made by other programs, in and out: spreadsheets (CSV, TSV, XLSX, XLS, ODS),
address books (vCard) and calendars (iCalendar).

Pure file work: reading streams rows of cells, writing takes rows of values. No session,
no Qt; the services map the cells to fields, check them with the forms' validators and
write them through the change log (services/table_import.py, services/table_export.py).
"""
