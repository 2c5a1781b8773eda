"""File formats: bytes to records and back, no workflow (`workbench.core.exchange` has that).

- `txt`: line-aligned `.ja.txt` / `.en.txt` pairs
- `tmx`: TMX 1.4b through translate-toolkit
- `jsonl`: every field of every segment
- `ooxml`: a small streaming XLSX writer; `xlsx` the bilingual and issues workbooks built on
  it; `xlsx_read` a bilingual workbook read back and checked
- `issues`: QA issues as CSV and JSON
- `aligned`: any aligned file read back as records
"""
