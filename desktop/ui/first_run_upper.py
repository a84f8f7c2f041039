"""The first-run wizard's "Nhận kế hoạch của cấp trên" step: choose the plan package, see the unit's own tasks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QLabel, QPushButton, QWizardPage

from desktop.errors import KhbcError


class UpperPlanPage(QWizardPage):
    """Verifies the chosen package at once (nothing is written before "Hoàn tất") and finds the unit in it."""

    def __init__(self, profile_values: Callable[[], dict[str, str]]):
        super().__init__()
        self.setTitle("Kế hoạch của cấp trên")
        self.setSubTitle("Chọn gói kế hoạch (.zip) cấp trên gửi: các nhiệm vụ đơn vị chủ trì hoặc phối hợp được nhận "
                         "sẵn, không phải gõ lại.")
        self._profile_values = profile_values
        self.check = None
        self.choose = QPushButton("Chọn gói kế hoạch…")
        self.choose.clicked.connect(self.choose_file)
        self.summary = QLabel("Chưa chọn gói kế hoạch.")
        self.summary.setWordWrap(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(24)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.currentIndexChanged.connect(self._describe)
        form = QFormLayout(self)
        form.addRow(self.choose)
        form.addRow("Đơn vị của bạn trong kế hoạch:", self.unit_combo)
        form.addRow(self.summary)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn gói kế hoạch của cấp trên", "",
                                              "Gói kế hoạch (*.zip);;Mọi tệp (*)")
        if path:
            self.read_file(Path(path))

    def read_file(self, path: Path) -> None:
        from desktop.bundle.plan_diff import find_own_unit
        from desktop.services.plan_receive import read_package

        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        try:
            self.check = read_package(path)
        except KhbcError as exc:
            self.check = None
            self.summary.setStyleSheet("color: #c62828;")
            self.summary.setText(exc.message)
        else:
            values = self._profile_values()
            units = self.check.data["units"]
            own = find_own_unit(units, values.get("abbreviation", ""),
                                [values.get("name_in_text", ""), values.get("name", ""), values.get("abbreviation", "")])
            if own is None:
                self.unit_combo.addItem("(hãy chọn đơn vị của bạn)", None)
            for unit in units:
                self.unit_combo.addItem(unit["name"], unit["name"])
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(own), 0))
        self.unit_combo.blockSignals(False)
        self._describe()

    def unit_name(self) -> str | None:
        return self.unit_combo.currentData()

    def own_tasks(self) -> list[dict]:
        from desktop.bundle.plan_diff import preselected, task_role

        if self.check is None or self.unit_name() is None:
            return []
        return [t for t in self.check.data["tasks"] if preselected(task_role(t, self.unit_name()))]

    def _describe(self) -> None:
        if self.check is not None:
            data = self.check.data
            self.summary.setStyleSheet("color: #2e7d32;" if self.own_tasks() else "color: #c62828;")
            self.summary.setText(
                f"Kế hoạch số {data['plan']['number'] or '(chưa có số)'} của {data['issuer']['name_in_text']}, phiên "
                f"bản {data['plan']['version']}: {len(data['tasks'])} nhiệm vụ, trong đó {len(self.own_tasks())} "
                "nhiệm vụ của đơn vị sẽ được nhận khi bấm \"Hoàn tất\". Có thể nhận thêm nhiệm vụ khác sau, trong "
                "trang Kế hoạch (\"Nhập kế hoạch cấp trên…\").")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt naming)
        return bool(self.own_tasks())

    def nextId(self) -> int:  # noqa: N802 (Qt naming)
        return -1

    def apply(self, session, department: dict[str, str]) -> None:
        """Save the profile and take the plan, in the wizard's one unit of work."""
        from desktop.services import profile
        from desktop.services.plan_receive import merge_checked

        profile.save_department(session, **{k: v for k, v in department.items() if v})
        session.flush()
        merge_checked(session, self.check, unit=self.unit_name())
