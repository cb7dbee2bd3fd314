"""Finds English on a Spanish screen: every text a family can read (labels, buttons, check
boxes, typed or placeholder text) is split into words, and a word that is English and not
also Spanish is reported. Proper names (facilities, people, brands), amounts, phone, card
and reference numbers are not words of either language and pass."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

# English words a kiosk screen could show, none of them also a Spanish word (so "no",
# "plan", "video", "total", "a", "me" are not here). Lower case.
ENGLISH_WORDS = frozenset("""
the and you your yours to of for with is are was be been will would can cannot not this
that these those it its we our us they their them he she his her what which who when where
why how here there now today then than from into onto at by on in out up down off over
under again only just also more less most least each every all any some none one two
three four five six seven eight nine ten first last next back new old other another same
call calls called calling caller subscription subscriptions refund refunds refunded
session sessions visit visits month months monthly week weeks day days year years minute
minutes hour hours time times card cards bank pay paid payment payments charge charged
charges deposit deposits balance fee fees unlimited included includes include period
renewal renew renews renewed automatically ends ending ended end start starts started
please thank thanks yes ok okay done finish cancel cancelled keep change changes choose
chose chosen tap touch type enter entered sign signed account accounts password phone
number numbers email address street city zip code help staff family loved ones
one's person people name names first last search found find results result try again
sorry wrong right check checked read accept accepted terms nothing something everything
nobody anyone someone unused early fee any going left remaining used using uses
in-state out-of-state international calls until while before after during about
kiosk reconnects reconnect offline online waiting sent send sending queued
""".split())
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def shown_texts(top: QWidget) -> list[tuple[str, str]]:
    """(widget name, text) for every text shown in ``top``."""
    found: list[tuple[str, str]] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) and widget is not top:
            continue
        texts: list[str] = []
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        for text in texts:
            if text.strip():
                found.append((f"{type(widget).__name__}#{widget.objectName()}", text))
    return found


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH_WORDS]


def english_problems(top: QWidget, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Texts in ``top`` with English words in them (``allowed``: whole texts the family or
    staff typed themselves, which are theirs to write in any language)."""
    problems: list[str] = []
    for name, text in shown_texts(top):
        if text in allowed:
            continue
        words = english_words(text)
        if words:
            problems.append(f"{name} {text[:70]!r}: {' '.join(sorted(set(words)))}")
    return problems
