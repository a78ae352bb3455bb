import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from practice.accounts.models import TherapistProfile
from tests.fixtures.accounts import therapist_create


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_therapist_photo_shows_on_the_home_page_with_its_description(client, db):
    user = therapist_create(email="photo.pt@example.com")
    TherapistProfile.objects.filter(user=user).update(is_listed=True)
    profile = TherapistProfile.objects.get(user=user)
    profile.photo = SimpleUploadedFile("ruth.png", png_bytes(), content_type="image/png")
    profile.photo_alt = "Ruth smiling in the treatment room"
    profile.save()

    html = client.get("/").content.decode()
    image = re.search(r'<img[^>]*src="([^"]+)"[^>]*alt="([^"]*)"', html)

    assert image, html
    assert image.group(2) == "Ruth smiling in the treatment room"
    photo = client.get(image.group(1))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == png_bytes()
