"""Rejection Journal: a private desktop journal for rejection therapy."""

__version__ = "0.1.0"

APP_NAME = "Rejection Journal"
#: One reverse-DNS id everywhere: .desktop file, AppStream metainfo, icon name, window class.
APP_ID = "org.rejectionjournal.RejectionJournal"
