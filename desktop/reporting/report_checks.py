"""What a period report still lacks before it is sealed: results, figures, documents dated outside the period."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.report_values import ReportContext
from desktop.reporting.formatting import short_date
from desktop.reporting.narrative import cited_documents, target_has_figure, task_name, unreported_tasks

MISSING_KINDS = ("task_without_result", "target_without_figure", "document_outside_period")


@dataclass(frozen=True)
class MissingItem:
    """One gap the clerk should know of before export (export is still allowed)."""

    kind: str  # one of MISSING_KINDS
    ref: str  # task number, target position, or document number
    text: str  # the Vietnamese sentence shown to the clerk and kept in data.json

    def to_json(self) -> dict:
        return {"kind": self.kind, "ref": self.ref, "text": self.text}


def missing_items(ctx: ReportContext) -> list[MissingItem]:
    """Tasks due with no result, targets with no figure, cited documents dated outside the cut-off window."""
    items = [MissingItem("task_without_result", t.number,
                         f"Nhiệm vụ {t.number} \"{task_name(t)}\" ({t.lead} chủ trì) đến hạn nhưng chưa có kết quả.")
             for t in unreported_tasks(ctx)]
    items += [MissingItem("target_without_figure", str(t.position),
                          f"Chỉ tiêu {t.position} \"{' '.join(t.content.split())}\" chưa có số liệu.")
              for t in ctx.targets if not target_has_figure(t)]
    start, end = ctx.period.cutoff_start, ctx.period.cutoff_end
    for doc in cited_documents(ctx):
        if doc.issued_on is not None and not start <= doc.issued_on <= end:
            items.append(MissingItem(
                "document_outside_period", doc.number or doc.summary[:40],
                f"Văn bản {doc.describe()} có ngày ngoài thời gian chốt số liệu của kỳ "
                f"({short_date(start)} – {short_date(end)})."))
    return items
