"""A backup or restore that cannot go on: the message says why, in Chinese, and nothing changed."""


class BackupError(Exception):
    pass
