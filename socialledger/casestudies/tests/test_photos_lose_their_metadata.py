"""A photo added to a case study is resized and written afresh: the stored file keeps no
location (GPS), camera make or model, or any other EXIF data, and is turned the right way up
first. A file that is not a photo, or a photo with no description, is refused."""

import io

import pytest
from PIL import Image

from socialledger.casestudies.actions import CaseStudyError, add_photo
from socialledger.casestudies.photos import LONGEST_SIDE, PhotoError
from socialledger.casestudies.tests.helpers import (
    CAMERA_MAKE,
    CAMERA_MODEL,
    jpeg_with_exif,
    png_claiming,
    png_with_exif,
    upload,
)

ALT = "A drawing of a crew fitting loft insulation"


def stored(photo) -> bytes:
    with photo.file.open("rb") as handle:
        return handle.read()


def test_the_made_up_camera_photo_really_carries_gps_and_camera_data():
    """The test's own photo, before upload, has what must be stripped."""
    exif = Image.open(io.BytesIO(jpeg_with_exif())).getexif()
    assert exif[0x010F] == CAMERA_MAKE
    assert exif.get_ifd(0x8825)  # GPS


def test_the_stored_photo_has_no_exif_gps_or_camera_make(story, cara_contributor):
    photo = add_photo(story, upload=upload(jpeg_with_exif()), alt_text=ALT, by=cara_contributor)
    content = stored(photo)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    for trace in (b"Exif", CAMERA_MAKE.encode(), CAMERA_MODEL.encode()):
        assert trace not in content


def test_a_large_photo_is_resized_to_the_longest_side(story, cara_contributor):
    photo = add_photo(story, upload=upload(jpeg_with_exif()), alt_text=ALT, by=cara_contributor)
    image = Image.open(io.BytesIO(stored(photo)))
    assert image.size == (LONGEST_SIDE, LONGEST_SIDE * 3 // 4)
    assert (photo.width, photo.height) == image.size


def test_a_photo_held_sideways_is_turned_upright_before_its_tag_is_dropped(story, cara_contributor):
    sideways = jpeg_with_exif((400, 300), orientation=6)  # "rotate 90° clockwise to view"
    photo = add_photo(story, upload=upload(sideways), alt_text=ALT, by=cara_contributor)
    assert (photo.width, photo.height) == (300, 400)


def test_a_small_photo_keeps_its_size(story, cara_contributor):
    photo = add_photo(
        story, upload=upload(jpeg_with_exif((640, 480))), alt_text=ALT, by=cara_contributor
    )
    assert (photo.width, photo.height) == (640, 480)


def test_adding_a_photo_is_logged_with_its_description(story, cara_contributor):
    from socialledger.audit.models import AuditEvent

    photo = add_photo(story, upload=upload(jpeg_with_exif()), alt_text=ALT, by=cara_contributor)
    event = AuditEvent.objects.about(story).filter(action="case_study.photo_added").last()
    assert event.after == {
        "photo": photo.pk,
        "alt_text": ALT,
        "size": "1600×1200",
        "approved": False,
    }


def test_a_png_loses_its_exif_and_text_but_keeps_its_transparency(story, cara_contributor):
    photo = add_photo(
        story, upload=upload(png_with_exif(), "drawing.png"), alt_text=ALT, by=cara_contributor
    )
    content = stored(photo)
    image = Image.open(io.BytesIO(content))
    assert (image.format, image.mode) == ("PNG", "RGBA")
    assert dict(image.getexif()) == {}
    assert CAMERA_MAKE.encode() not in content


@pytest.mark.parametrize(
    "pixels", [(20_000, 10_000), (10_000, 9_000), (8_000, 6_000)], ids=["bomb", "warned", "over"]
)
def test_a_photo_claiming_too_many_pixels_is_refused_before_it_is_read(
    story, cara_contributor, pixels
):
    huge = upload(png_claiming(*pixels), "huge.png")
    with pytest.raises(PhotoError, match="up to 40 megapixels"):
        add_photo(story, upload=huge, alt_text=ALT, by=cara_contributor)


def test_a_file_that_is_not_a_photo_is_refused(story, cara_contributor):
    scan = upload(b"%PDF-1.7\n", "scan.jpg")
    with pytest.raises(PhotoError, match="a photo must be a JPEG, PNG or WebP"):
        add_photo(story, upload=scan, alt_text=ALT, by=cara_contributor)


def test_a_photo_needs_a_description(story, cara_contributor):
    with pytest.raises(CaseStudyError, match="Describe what the photo shows"):
        add_photo(story, upload=upload(jpeg_with_exif()), alt_text=" ", by=cara_contributor)


def test_on_the_page_cara_uploads_and_sees_the_photo_without_its_metadata(
    client, story, cara_contributor
):
    client.force_login(cara_contributor)
    answer = client.post(
        f"/case-studies/{story.pk}/photos/",
        {"photo": upload(jpeg_with_exif()), "alt_text": ALT},
        follow=True,
    )
    assert "without its location or camera data" in answer.content.decode()
    photo = story.photos.last()
    shown = b"".join(client.get(f"/case-studies/photos/{photo.pk}/").streaming_content)
    assert CAMERA_MAKE.encode() not in shown
    assert dict(Image.open(io.BytesIO(shown)).getexif()) == {}


def test_on_the_page_a_file_that_is_not_a_photo_gets_a_message(client, story, cara_contributor):
    client.force_login(cara_contributor)
    answer = client.post(
        f"/case-studies/{story.pk}/photos/",
        {"photo": upload(b"not a picture", "notes.jpg"), "alt_text": ALT},
    )
    assert answer.status_code == 200
    assert "This file is not an image" in answer.content.decode()
    assert story.photos.count() == 1  # only the story's first photo


def test_mo_who_only_reads_cannot_add_a_photo(client, story, mo_member_viewer):
    client.force_login(mo_member_viewer)
    answer = client.post(
        f"/case-studies/{story.pk}/photos/", {"photo": upload(jpeg_with_exif()), "alt_text": ALT}
    )
    assert answer.status_code == 404
    assert story.photos.count() == 1
