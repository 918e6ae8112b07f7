from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_migrate


class CoreConfig(AppConfig):
    name = "lianqing.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self) -> None:
        from lianqing.core import checks  # noqa: F401  (registers the start-up checks)
        from lianqing.core.middleware import session_renewed_at_login
        from lianqing.core.models import User
        from lianqing.core.separation import membership_guard, role_permissions_ensure

        # 三员分立 at the membership table itself: no path that adds a group can make one account
        # two of the three administrators (core.separation).
        m2m_changed.connect(membership_guard, sender=User.groups.through, dispatch_uid="three_admins")
        # The three roles' model permissions, once every app's permissions exist.
        post_migrate.connect(role_permissions_ensure, dispatch_uid="three_admins_permissions")
        # The idle timeout's renewal starts at sign-in (core.middleware.SessionIdleRenewalMiddleware).
        user_logged_in.connect(session_renewed_at_login, dispatch_uid="session_renewed_at_login")
