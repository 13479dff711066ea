"""Route guards by role."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404 if current_user.role == "directeur" else 403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required("agent", "admin")
admin_required = roles_required("admin")
director_required = roles_required("directeur")
