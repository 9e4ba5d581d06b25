"""Exports of the workshop record (`record.py`): pure functions from a `Record` to text or bytes.

- `json.render`: the record as schema-versioned JSON, valid against `record.schema.json`;
- `csv.render`: one row per note, UTF-8 with a BOM, formulas neutralised;
- `markdown.render`: a readable summary for e-mail or a wiki;
- `svg.category_chart`: the notes-per-category bar chart;
- `report.build_report`: the view model `templates/report.html` renders (the edge runs Jinja2);
- `words.Words`: the report's sentences in one language (the edge passes the catalogue's).

None of them reads a file, a clock or the network; the edge writes what they return.
"""
