"""The REAL app, offscreen, driven by commands on stdin (for tests with real processes).

    python app_driver.py DATA_DIR

Opens the journal exactly as the app does (``create_application`` + ``open_main_window`` with
the daily backup), prints ``ready``, then for each line on stdin:

    save     fills the editor's ask and calls ``editor.save()`` (what Ctrl+S runs); prints
             ``saved UUID`` only after save() returned the stored record
    backup   runs File > Back up now (``journal_actions.backup_now()``); prints ``backed-up``
    quit     closes the window and the journal; prints ``bye``
    type T   types T into the (focused) "What you asked" field with real key events, waits
             until the editor has kept it as a draft in the journal; prints ``drafted``
    draft    prints ``draft ASK`` when the window offered a draft back on start (the ask
             it holds), else ``no-draft``
    loop     runs the Qt event loop (as the app does) until the app quits, e.g. on SIGTERM;
             prints ``looping`` first and ``bye`` when the loop has ended and the journal
             is closed

Any error a dialog would show is printed as ``error TITLE: TEXT`` instead. Nothing is mocked
but the modal-dialog seam.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop

from rejection_journal.app import create_application, open_main_window
from rejection_journal.ui import shutdown
from rejection_journal.ui.after_paint import AfterFirstPaint
from rejection_journal.ui.dialogs import Dialogs


class PrintingDialogs(Dialogs):
    """Every modal is a bug here, except errors, which are printed for the test to see."""

    def error(self, title: str, text: str) -> None:
        print(f"error {title}: {text}".replace("\n", " "), flush=True)


def main(data_dir: Path) -> None:
    app = create_application([sys.argv[0]])
    window, journal = open_main_window(data_dir, daily_backup=True, dialogs=PrintingDialogs())
    quitter = shutdown.install(app, window.quit_keeping_draft)  # as run_gui does
    app.processEvents()
    # The daily backup runs after the first paint: "ready" still means it has been made.
    task = window.findChild(AfterFirstPaint, "dailyBackup")
    deadline = QDeadlineTimer(30_000)
    while task is not None and not task.done and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    if journal.backup_error is not None:
        print(f"error daily backup: {journal.backup_error}", flush=True)
    print("ready", flush=True)
    count = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "save":
            window.editor.start_new(None)
            window.editor.ask.setText(f"Ask for a discount #{count}")
            record = window.editor.save()
            if record is None:
                print(f"error save: {window.editor.error_label.text()}", flush=True)
            else:
                print(f"saved {record.uuid}", flush=True)
            count += 1
        elif command == "backup":
            path = window.journal_actions.backup_now()
            print("backed-up" if path is not None else "error backup", flush=True)
        elif command.startswith("type "):
            from PySide6.QtTest import QTest

            window.editor.ask.setFocus()
            QTest.keyClicks(window.editor.ask, command.removeprefix("type "))
            deadline = QDeadlineTimer(10_000)
            while not window.editor._draft_written and not deadline.hasExpired():
                app.processEvents()  # the draft timer fires ~1 s after the last key
                QTest.qWait(20)
            print("drafted" if window.editor._draft_written else "error no draft", flush=True)
        elif command == "draft":
            shown = window.editor.draft_bar.isVisibleTo(window)
            print(f"draft {window.editor.ask.text()}" if shown else "no-draft", flush=True)
        elif command == "loop":
            print("looping", flush=True)
            app.exec()
            quitter.uninstall()
            journal.close()
            print("bye", flush=True)
            return
        elif command == "quit":
            window.editor._set_clean()
            window.close()
            journal.close()
            print("bye", flush=True)
            return
        app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
