"""What every private link's pages share (a contact's page, a head's pages): headers that
keep them out of search engines, caches and referrers, one "this link no longer works" page
for links unknown, expired and withdrawn alike, and a rate limit that counts only the links
that do not work, so that someone using their own link never runs out while guessing is
slowed."""

from flask import current_app, render_template
from flask_limiter.util import get_remote_address

from hubsurvey.extensions import limiter

# The link is the key to the page: it must not travel further than the person holding it.
PUBLIC_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _unknown_link(response) -> bool:
    return response.status_code == 404


def limit(setting: str, scope: str):
    """A rate limit on wrong links, shared by every route it decorates: guessing through any
    of them is slowed alike. `setting` names the config value ("10 per hour")."""
    return limiter.shared_limit(
        lambda: current_app.config[setting],
        scope=scope,
        key_func=get_remote_address,
        deduct_when=_unknown_link,
        override_defaults=False,
    )


def gone():
    """The same page as a read-only report link that does not work."""
    return render_template("sharing/gone.html"), 404, PUBLIC_HEADERS
