"""Spreadsheets as teams keep them, written for the import tests (the rows as Python data, so that
a reader sees what each sheet holds; the workbooks are made from them by openpyxl).

- ``banner_workbook``: a title, an owner and a blank row above ``Ref, Risk Title, Probability,
  Consequence, Risk Owner, Controls, RAG``; the RAG ratings follow the organisation's own scheme.
- ``hazards_csv``: a civil-defence style hazard register: a row of group labels (Inherent risk,
  Residual risk) over ``L, I, Rating``, cells such as ``3 - Possible``, ratings Moderate … Extreme,
  section headings, and a row whose rating contradicts another's.
- ``ciso_template``: CISO Assistant's risk-assessment import template with French level names.
- ``data/import/corporate.csv``, ``data/import/simplerisk.csv``: files, read as they are.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from conftest import DATA

SHEETS = DATA / "import"


def workbook(path: Path, rows: list[list[object]], *, title: str = "Register") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# The organisation's scheme: L×I of 1–5 Green, 6–12 Amber, 15–25 Red (riskcli's default grid
# rates several of these cells otherwise: (3, 3) Medium, (2, 5) High, (3, 5) Critical).
def rag(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    return "Green" if score <= 5 else "Amber" if score <= 12 else "Red"


BANNER_RISKS = [
    ("OR-01", "Payments platform outage", 3, 5, "CTO", "Failover site"),
    ("OR-02", "Key supplier insolvency", 2, 5, "CPO", "Dual sourcing"),
    ("OR-03", "Ransomware on file servers", 4, 4, "CISO", "Backups, EDR"),
    ("OR-04", "Loss of the trading licence", 1, 5, "General Counsel", "Compliance reviews"),
    ("OR-05", "Warehouse fire", 1, 4, "COO", "Sprinklers"),
    ("OR-06", "Staff strike", 3, 3, "HR Director", "Pay talks"),
    ("OR-07", "Currency swing hits margins", 4, 3, "CFO", "Hedging"),
    ("OR-08", "Data centre cooling fails", 2, 3, "CTO", "Monitoring"),
    ("OR-09", "Fraudulent invoices paid", 3, 2, "CFO", "Two signatures"),
    ("OR-10", "Website defaced", 5, 1, "CMO", None),
    ("OR-11", "Regulator fines late reporting", 5, 3, "General Counsel", "Calendar"),
    ("OR-12", "Office flood", 2, 2, "COO", "Insurance"),
]


def banner_rows() -> list[list[object]]:
    rows: list[list[object]] = [
        ["Operational Risk Register 2024"],
        ["Owner: Risk Committee"],
        [],
        ["Ref", "Risk Title", "Probability", "Consequence", "Risk Owner", "Controls", "RAG"],
    ]
    rows += [[i, t, lk, im, o, c, rag(lk, im)] for i, t, lk, im, o, c in BANNER_RISKS]
    return rows


# The hazard register's scheme (ratings Moderate < High < Very high < Extreme by L×I).
def hazard_rating(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    return "Moderate" if score <= 4 else "High" if score <= 9 else "Very high" if score <= 15 else "Extreme"


LIKELIHOOD = ["1 - Rare", "2 - Unlikely", "3 - Possible", "4 - Likely", "5 - Almost certain"]
IMPACT = ["1 - Insignificant", "2 - Minor", "3 - Moderate", "4 - Major", "5 - Catastrophic"]

HAZARDS = [  # id, hazard, inherent (L, I), residual (L, I)
    ("H01", "River flooding", (4, 5), (3, 4)),
    ("H02", "Pandemic influenza", (3, 5), (3, 4)),
    ("H03", "Severe storm", (4, 3), (3, 3)),
    ("H04", "Earthquake", (2, 5), (2, 4)),
    ("H05", "Heatwave", (4, 2), (3, 2)),
    ("H06", "Wildfire", (3, 4), (2, 4)),
    ("H07", "Chemical spill", (2, 4), (2, 3)),
    ("H08", "Drought", (3, 3), (2, 2)),
    ("H09", "Power grid failure", (3, 4), (2, 3)),
    ("H10", "Landslide", (2, 2), (1, 2)),
]


def hazards_csv(path: Path) -> Path:
    """The hazard register as a CSV file (a row of group labels over its header)."""
    lines = [
        "County Hazard Register,,,,,,,,",
        "Version 4 - issued 2021-06-30,,,,,,,,",
        ",,,Inherent risk,,,Residual risk,,",
        "ID,Hazard,Lead agency,L,I,Rating,L,I,Rating",
        "Natural hazards,,,,,,,,",
    ]
    for n, (ident, name, (il, ii), (rl, ri)) in enumerate(HAZARDS):
        if n == 6:
            lines.append("Technological hazards,,,,,,,,")
        lead = "Fire service" if n % 2 else "Environment agency"
        lines.append(
            f"{ident},{name},{lead},{LIKELIHOOD[il - 1]},{IMPACT[ii - 1]},{hazard_rating(il, ii)},"
            f"{LIKELIHOOD[rl - 1]},{IMPACT[ri - 1]},{hazard_rating(rl, ri)}"
        )
    # a published rating that contradicts H06's for the same residual cell (2, 4): Very high, not High
    lines.append(
        f"H11,Space weather,Met office,{LIKELIHOOD[2]},{IMPACT[3]},Very high,{LIKELIHOOD[1]},{IMPACT[3]},Very high"
    )
    lines.append(
        f"H12,Animal disease,Agriculture dept,{LIKELIHOOD[1]},{IMPACT[2]},High,{LIKELIHOOD[1]},{IMPACT[3]},High"
    )
    lines.append("Total hazards: 12,,,,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# CISO Assistant's risk-assessment import template: its columns, four scenarios with the French
# names of the 4×4 matrix (data/import/ciso_matrix_4x4_fr.yaml), the levels it computes beside them.
CISO_HEADER = [
    "ref_id", "name", "description", "inherent_impact", "inherent_proba", "inherent_level", "existing_controls",
    "current_impact", "current_proba", "current_level", "additional_controls", "residual_impact", "residual_proba",
    "residual_level", "treatment",
]  # fmt: skip
CISO_ROWS: list[list[object]] = [
    ["R.1", "Ransomware on the ERP", "Encryption of the ERP servers by a criminal group", "critique",
     "très vraisemblable", "Élevé", "Backups\nEDR", "critique", "vraisemblable", "Élevé", "Offline backups",
     "grave", "peu vraisemblable", "Moyen", "mitigate"],
    ["R.2", "Supplier data leak", "A processor leaks customer data", "grave", "vraisemblable", "Moyen",
     "Contract clauses", "significatif", "vraisemblable", "Faible", "Audit of the processor", "significatif",
     "peu vraisemblable", "Faible", "mitigate"],
    ["R.3", "Phishing of the finance team", "Fraudulent transfer after an email compromise", "grave",
     "Certain", "Élevé", "Awareness", "grave", "très vraisemblable", "Élevé", "MFA everywhere", "mineur",
     "très vraisemblable", "Faible", "mitigate"],
    ["R.4", "Website defacement", "Vandalism of the public site", "mineur", "vraisemblable", "Faible", None,
     "mineur", "vraisemblable", "Faible", None, "mineur", "vraisemblable", "Faible", "accept"],
]  # fmt: skip


def ciso_template(path: Path) -> Path:
    return workbook(path, [CISO_HEADER, *CISO_ROWS], title="Risk assessment")
