"""A PDF preview inside the program: pages rendered off the window's thread with QtPdf, zoom, printing with QPrinter."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


class PdfPreview(QWidget):
    """Shows every page of a PDF one under the other, like a print preview.

    `load()` opens the file and lays out blank pages at once; QtPdf renders them on its own thread and each
    page appears as it is ready, so the window stays responsive for a long report. `ready` tells when all are shown.
    """

    ready = Signal(int)  # the page count, once every page of the current document is drawn

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.renderer = QPdfPageRenderer(self)
        self.renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self.renderer.setDocument(self.document)
        self.renderer.pageRendered.connect(self._page_rendered)
        self._requests: dict[int, int] = {}  # renderer request id -> page number, for the pages still awaited
        self._scratch_count = 0
        self._loaded_path: Path | None = None
        self._page_points: list = []  # each page's size in points, asked of QtPdf once per document
        self._folder = tempfile.TemporaryDirectory(prefix="khbc-preview-")
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self._zoom_chosen = False  # until the user zooms, each document opens at the zoom that fits the width
        self.page_labels: list[QLabel] = []

        self.info = QLabel()
        self.zoom_out = QPushButton("Thu nhỏ")
        self.zoom_in = QPushButton("Phóng to")
        self.zoom_label = QLabel()
        self.zoom_out.clicked.connect(lambda: self._zoom(-1))
        self.zoom_in.clicked.connect(lambda: self._zoom(+1))
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in)

        self.pages = QWidget()
        self.pages.setObjectName("pdfPages")
        self.pages.setStyleSheet("#pdfPages { background: #8a8f96; }")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(14)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: white; font-size: 12pt; padding: 40px;")
        self.pages_layout.addWidget(self.message)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.show_message("Chưa có bản xem trước.")

    def next_scratch_path(self) -> Path:
        """A new file in a private temporary folder for the caller to write the next PDF to preview (never the one
        on screen, which the renderer may still be reading)."""
        self._scratch_count += 1
        return Path(self._folder.name) / f"xem-truoc-{self._scratch_count}.pdf"

    def is_rendering(self) -> bool:
        return bool(self._requests)

    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0

    def show_message(self, text: str) -> None:
        self._requests = {}
        self._page_points = []
        self.document.close()
        self._clear_pages()
        self.message.setText(text)
        self.message.show()
        self.info.setText("")
        self._update_buttons()

    def load(self, path: Path) -> int:
        """Open the PDF and start rendering its pages; returns the page count (0 when the file cannot be read)."""
        self._requests = {}
        self.document.close()
        self._forget_previous_file(path)
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            self.show_message("Không mở được bản xem trước của văn bản.")
            self.ready.emit(0)
            return 0
        self._page_points = [self.document.pagePointSize(page) for page in range(self.document.pageCount())]
        if not self._zoom_chosen:
            self._zoom_index = self._fitting_zoom()
        self._render()
        return self.document.pageCount()

    def _forget_previous_file(self, path: Path) -> None:
        if self._loaded_path is not None and self._loaded_path != path:
            try:
                self._loaded_path.unlink(missing_ok=True)
            except OSError:  # still open elsewhere (Windows): the folder goes when the program ends
                pass
        self._loaded_path = path

    def _clear_pages(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.page_labels = []

    def _render(self) -> None:
        """Lay out a blank sheet per page and ask the renderer (on its thread) for each page's image."""
        self._clear_pages()
        self.message.hide()
        zoom = ZOOM_STEPS[self._zoom_index]
        ratio = self.devicePixelRatioF() or 1.0
        dpi = self.logicalDpiX() or 96
        self._requests = {}
        for page, points in enumerate(self._page_points):
            size = QSize(round(points.width() / 72 * dpi * zoom), round(points.height() / 72 * dpi * zoom))
            label = QLabel()
            label.setFixedSize(size)
            label.setStyleSheet("background: white;")
            label.setToolTip(f"Trang {page + 1}")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)  # shown from the event loop
            self.page_labels.append(label)
        count = self.document.pageCount()
        self.info.setText(f"Văn bản có {count} trang")
        self.pages_layout.activate()  # lay the pages out now
        self.pages.resize(self.pages.sizeHint().expandedTo(self.scroll.viewport().size()))
        self._update_buttons()
        for page, label in enumerate(self.page_labels):
            self._requests[self.renderer.requestPage(page, label.size() * ratio)] = page

    def _page_rendered(self, page: int, _size: QSize, image: QImage, _options, request: int) -> None:
        if self._requests.pop(request, None) != page or page >= len(self.page_labels):
            return  # an image of a document or zoom no longer shown
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        self.page_labels[page].setPixmap(pixmap)
        if not self._requests:
            self.ready.emit(len(self.page_labels))

    def _fitting_zoom(self) -> int:
        """The largest step up to 100 % at which every page (landscape appendices too) fits the width."""
        room = self.scroll.viewport().width() - 24
        widest = max(points.width() for points in self._page_points)
        page_width = widest / 72 * (self.logicalDpiX() or 96)
        fitting = [i for i, zoom in enumerate(ZOOM_STEPS) if zoom <= 1.0 and page_width * zoom <= room]
        return fitting[-1] if fitting else 0

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        if not self._zoom_chosen and self.page_count() and self._fitting_zoom() != self._zoom_index:
            self._zoom_index = self._fitting_zoom()
            self._render()

    def _zoom(self, step: int) -> None:
        self._zoom_chosen = True
        self._zoom_index = max(0, min(len(ZOOM_STEPS) - 1, self._zoom_index + step))
        if self.page_count():
            self._render()
        self._update_buttons()

    def _update_buttons(self) -> None:
        loaded = self.page_count() > 0
        self.zoom_label.setText(f"{round(ZOOM_STEPS[self._zoom_index] * 100)}%")
        self.zoom_out.setEnabled(loaded and self._zoom_index > 0)
        self.zoom_in.setEnabled(loaded and self._zoom_index < len(ZOOM_STEPS) - 1)

    def print_document(self, parent: QWidget | None = None) -> bool:
        """Ask for a printer (system dialog) and print every chosen page; False when cancelled or empty."""
        if not self.page_count():
            return False
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Báo cáo KHBC")
        printer.setFullPage(True)  # the PDF page already carries the margins of Nghị định 30
        dialog = QPrintDialog(printer, parent or self)
        dialog.setWindowTitle("In văn bản")
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return print_pages(self.document, printer)


def print_pages(document: QPdfDocument, printer) -> bool:
    """Draw the chosen pages of `document` onto `printer`, one sheet per page, filling the printable area."""
    first = printer.fromPage() or 1
    last = printer.toPage() or document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        return False
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    dpi = min(printer.resolution(), 300)  # enough for text; 600 dpi A4 images would need ~140 MB each
    try:
        for number, page in enumerate(range(first - 1, last)):
            if number:
                printer.newPage()
            points = document.pagePointSize(page)
            image: QImage = document.render(page, QSize(round(points.width() / 72 * dpi),
                                                        round(points.height() / 72 * dpi)))
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return True
