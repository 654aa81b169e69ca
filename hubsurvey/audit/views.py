"""The audit log's pages: the whole log for administrators, a hub's own entries for its staff."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from hubsurvey.audit import bp, services
from hubsurvey.audit.forms import LogFilterForm
from hubsurvey.forms import choices
from hubsurvey.hubs import hub_scoped
from hubsurvey.models import Hub

hub_scoped(bp)

FILTERS = ("action", "hub", "actor", "since", "until")
# Further back than anyone pages; a bigger number is refused, not sent to the database.
LAST_PAGE = 10_000


@bp.get("/admin/audit")
def admin_log():
    # A 404, as for every administration page: they are not advertised to anyone else.
    if not current_user.is_admin:
        abort(404)
    return _log(hub=None)


@bp.get("/hubs/<hub_slug>/audit")
def hub_log():
    return _log(hub=g.hub)


def _log(hub: Hub | None):
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= LAST_PAGE:
        abort(404)
    form = LogFilterForm(formdata=request.args)
    form.action.choices = choices(
        [("", "Any action"), *((a, services.action_words(a)) for a in services.actions_in_use())]
    )
    hub_names = {}
    if hub is None:
        hub_names = {h.id: h.name for h in services.all_hubs()}
        form.hub.choices = choices([("", "All hubs"), *((str(i), n) for i, n in hub_names.items())])
    else:
        del form.hub  # a hub's page shows that hub's entries only
    entries, older = [], False
    valid = form.validate()
    if valid:
        filters = services.LogFilters(
            action=form.action.data or "",
            hub_id=int(form.hub.data) if hub is None and form.hub.data else None,
            actor=(form.actor.data or "").strip(),
            since=form.since.data,
            until=form.until.data,
        )
        entries, older = services.log_page(filters, hub=hub, page=page)
    endpoint = "audit.admin_log" if hub is None else "audit.hub_log"
    kept = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return render_template(
        "audit/log.html",
        form=form,
        hub=hub,
        hub_names=hub_names,
        entries=entries,
        filtered=bool(kept),
        clear_url=url_for(endpoint),
        newer_url=url_for(endpoint, **kept, page=page - 1) if page > 1 else None,
        older_url=url_for(endpoint, **kept, page=page + 1) if older else None,
        action_words=services.action_words,
        actor_words=services.actor_words,
    ), 200 if valid else 422
