"""Page forms: they parse input; the services decide what is allowed."""

from django import forms

from neighbourly.feed.models import BODY_MAX, COMMENT_MAX, TITLE_MAX, PostKind, Visibility
from neighbourly.feed.services import EventDetails, SafetyDetails

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PostForm(forms.Form):
    kind = forms.ChoiceField(choices=PostKind.choices, initial=PostKind.GENERAL, label="What kind of post?")
    # The placeholder is what the collapsed composer shows as its one line.
    title = forms.CharField(max_length=TITLE_MAX, label="Title",
                            widget=forms.TextInput(attrs={"placeholder": "Share something with your neighbours…"}))
    body = forms.CharField(max_length=BODY_MAX, required=False, label="Text", widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.COMMUNITY, label="Who can see it?")
    price = forms.DecimalField(required=False, min_value=0, max_digits=9, decimal_places=2, label="Price (£)")
    free = forms.BooleanField(required=False, label="It's free")
    safety_where = forms.CharField(max_length=200, required=False, label="Where did it happen?")
    safety_when = forms.DateTimeField(required=False, label="When did it happen?", widget=DT)
    urgent = forms.BooleanField(required=False, label="Urgent: alert neighbours who are online now")
    event_starts_at = forms.DateTimeField(required=False, label="Starts", widget=DT)
    event_ends_at = forms.DateTimeField(required=False, label="Ends", widget=DT)
    event_place = forms.CharField(max_length=200, required=False, label="Place")
    poll_options = forms.CharField(required=False, label="Options, one per line (2 to 10)",
                                   widget=forms.Textarea(attrs={"rows": 4}))
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, has_nearby: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_nearby:
            self.fields["visibility"].choices = [(Visibility.COMMUNITY, Visibility.COMMUNITY.label)]

    def service_kwargs(self) -> dict:
        """Only the chosen kind's fields travel on: a form carries every kind's inputs."""
        data = self.cleaned_data
        kind = data["kind"]
        kwargs = {"kind": kind, "title": data["title"], "body": data["body"], "visibility": data["visibility"]}
        if kind == PostKind.SALE:
            kwargs.update(price=None if data["free"] else data["price"], is_free=data["free"])
        elif kind == PostKind.SAFETY:
            kwargs["safety"] = SafetyDetails(data["safety_where"], data["safety_when"], data["urgent"])
        elif kind == PostKind.EVENT:
            kwargs["event"] = EventDetails(data["event_starts_at"], data["event_ends_at"], data["event_place"])
        elif kind == PostKind.POLL:
            kwargs["poll_options"] = [line.strip() for line in data["poll_options"].splitlines() if line.strip()]
        return kwargs


class PostEditForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label="Title")
    body = forms.CharField(max_length=BODY_MAX, required=False, label="Text", widget=forms.Textarea(attrs={"rows": 6}))
    price = forms.DecimalField(required=False, min_value=0, max_digits=9, decimal_places=2, label="Price (£)")
    free = forms.BooleanField(required=False, label="It's free")
    event_starts_at = forms.DateTimeField(required=False, label="Starts", widget=DT)
    event_ends_at = forms.DateTimeField(required=False, label="Ends", widget=DT)
    event_place = forms.CharField(max_length=200, required=False, label="Place")
    safety_where = forms.CharField(max_length=200, required=False, label="Where did it happen?")
    safety_when = forms.DateTimeField(required=False, label="When did it happen?", widget=DT)
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    KIND_FIELDS = {
        PostKind.SALE: ("price", "free"),
        PostKind.EVENT: ("event_starts_at", "event_ends_at", "event_place"),
        PostKind.SAFETY: ("safety_where", "safety_when"),
    }

    def __init__(self, *args, post, **kwargs):
        initial = {"title": post.title, "body": post.body, "price": post.price, "free": post.is_free,
                   "event_starts_at": post.event_starts_at, "event_ends_at": post.event_ends_at,
                   "event_place": post.event_place, "safety_where": post.safety_where,
                   "safety_when": post.safety_when}
        super().__init__(*args, initial=initial, **kwargs)
        self.post = post
        keep = {"title", "body", "post_anyway", *self.KIND_FIELDS.get(post.kind, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"title": data["title"], "body": data["body"], "post_anyway": data["post_anyway"]}
        if self.post.kind == PostKind.SALE:
            kwargs.update(price=None if data["free"] else data["price"], is_free=data["free"])
        elif self.post.kind == PostKind.EVENT:
            kwargs["event"] = EventDetails(data["event_starts_at"], data["event_ends_at"], data["event_place"])
        elif self.post.kind == PostKind.SAFETY:
            kwargs.update(safety_where=data["safety_where"], safety_when=data["safety_when"])
        return kwargs


class CommentForm(forms.Form):
    body = forms.CharField(max_length=COMMENT_MAX, label="Add a comment", widget=forms.Textarea(attrs={"rows": 2}))
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)
