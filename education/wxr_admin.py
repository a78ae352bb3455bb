"""The admin page that imports a WordPress export (the same import as ``import_articles``)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from education.wxr import WXR_MAX_BYTES, WxrError
from education.wxr_import import ImportReport, articles_import_wxr


class WxrImportForm(forms.Form):
    file = forms.FileField(
        label="WordPress export (.xml)",
        help_text="In WordPress: Tools → Export → All content → Download Export File.",
    )
    download_images = forms.BooleanField(
        label="Download the images the posts show from the old site",
        required=False,
        initial=True,
    )
    dry_run = forms.BooleanField(
        label="Trial run: show what would happen, save nothing", required=False, initial=True
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > WXR_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.0f} MB; exports up to "
                f"{WXR_MAX_BYTES // 1024 // 1024} MB can be imported."
            )
        data: bytes = upload.read()
        return data


def wxr_import_view(request: HttpRequest) -> HttpResponse:
    """Upload an export, see the report; a trial run first by default."""
    if not request.user.has_perm("education.add_article"):
        raise PermissionDenied
    report: ImportReport | None = None
    form = WxrImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = articles_import_wxr(
                data=form.cleaned_data["file"],
                editor=request.user,  # type: ignore[arg-type]
                fetch=form.cleaned_data["download_images"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except WxrError as error:
            form.add_error("file", f"{error} Nothing was imported.")
    context = {
        **admin.site.each_context(request),
        "title": "Import a WordPress blog",
        "form": form,
        "report": report,
    }
    return render(request, "admin/education/article/import_wordpress.html", context)
