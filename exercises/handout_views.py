"""The program handout as a PDF download: for the patient and her own therapist only."""

from django.http import HttpRequest, HttpResponse

from exercises.handout import program_handout_pdf
from exercises.program_views import signed_in
from exercises.selectors import program_get


@signed_in
def program_handout(request: HttpRequest, program_id: int) -> HttpResponse:
    """``/programs/<id>/handout.pdf``: an attachment; anyone but her and her therapist: 404."""
    program = program_get(user=request.user, program_id=program_id, request=request)  # type: ignore[arg-type]
    response = HttpResponse(program_handout_pdf(program=program), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="home-program-{program.pk}.pdf"'
    return response
