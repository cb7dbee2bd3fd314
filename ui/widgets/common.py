"""Small helpers every kiosk widget uses: touch-sized buttons and style re-polishing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

TOUCH_MIN = 64  # px: the smallest target a finger can hit reliably
# px: below this screen width the in-app keyboard (ten TOUCH_MIN keys a row) leaves the
# column beside it so little room that screens stack what sits side by side.
NARROW_WIDTH = 1200
SCROLL_BAR = 24  # px: a vertical scroll bar (20 px in the style sheets) and some slack


class TouchButton(QPushButton):
    """A push button never squeezed below the height its text needs, nor below
    ``TOUCH_MIN``: when a screen is short of room (large text, both banners) its scroll
    area scrolls instead of cutting the button's text.

    Its size never depends on whether it has the focus. The style sheets draw a focused
    button's border 1 px thicker, and Qt keeps the size a button had when its size was
    last asked for: a button that had the focus when large text or high contrast went on
    (the attract screen's, in the window that is active) was 2 px taller than the same
    button without it, and a screen's fit depended on which came first (issue 19)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(TOUCH_MIN)

    def sizeHint(self) -> QSize:
        # QPushButton::sizeHint's own sum, for the button as it is without the focus.
        self.ensurePolished()
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.state &= ~QStyle.StateFlag.State_HasFocus
        width = height = 0
        if not self.icon().isNull():
            width, height = option.iconSize.width() + 4, option.iconSize.height()
        empty = not self.text()
        size = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic,
                                       "XXXX" if empty else self.text())
        if not empty or not width:
            width += size.width()
        if not empty or not height:
            height = max(height, size.height())
        option.rect.setSize(QSize(width, height))
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, QSize(width, height), self)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Large text or high contrast: the explicit minimum follows the new text height.
            self.setMinimumHeight(TOUCH_MIN)
            self.setMinimumHeight(max(TOUCH_MIN, self.sizeHint().height()))


def touch_button(
    object_name: str, parent: QWidget | None = None, *, focusable: bool = True
) -> QPushButton:
    """A push button at least ``TOUCH_MIN`` px tall, styled by its object name."""
    button = TouchButton(parent)
    button.setObjectName(object_name)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    if not focusable:
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    return button


def side_by_side_or_stacked(layout: QBoxLayout, room: int, stretches: tuple[int, int]) -> None:
    """Lay a screen's two parts (a column and the keyboard) side by side when their
    minimum widths fit in ``room`` px, else the keyboard under the column, full width.
    ``stretches`` are the side-by-side stretch factors; stacked, the column takes the
    spare height and the keyboard only what it needs."""
    margins = layout.contentsMargins()
    need = margins.left() + margins.right() + layout.spacing() * (layout.count() - 1)
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is not None:
            need += item.minimumSize().width()
    # Room for the screen's own scroll bar, which appears once the screen is too tall.
    side_by_side = need + SCROLL_BAR <= room
    direction = (
        QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
    )
    if layout.direction() != direction:
        layout.setDirection(direction)
        for index, stretch in enumerate(stretches if side_by_side else (1, 0)):
            layout.setStretch(index, stretch)


def room_for(screen: QWidget) -> int:
    """The width a screen really has: its scroll area's, not its own (which may be more)."""
    parent = screen.parentWidget()
    return parent.width() if parent is not None else screen.width()


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class WrappingButton(QPushButton):
    """A touch button whose text wraps onto more lines instead of being cut: long
    choices (a plan with its price and terms, a facility's name) in Spanish or large
    text. The text is drawn by a word-wrapped label inside; ``text()`` gives it back."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAutoDefault(False)
        self._label = QLabel(self)
        self._label.setObjectName(f"{object_name}Text")
        self._label.setWordWrap(True)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.addWidget(self._label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(TOUCH_MIN)

    def setText(self, text: str) -> None:
        self._label.setText(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._label.text()

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else super().sizeHint()
        return hint.expandedTo(QSize(TOUCH_MIN, TOUCH_MIN))

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.minimumSize() if layout is not None else super().minimumSizeHint()
        return hint.expandedTo(QSize(TOUCH_MIN, TOUCH_MIN))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        if layout is None:
            return super().heightForWidth(width)
        return max(TOUCH_MIN, layout.totalHeightForWidth(width))
