import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.models import District, Municipality, State, validate_ags


@pytest.mark.parametrize("ags", ["01001000", "16077052", "09187117", "11000000"])
def test_valid_ags_is_accepted(ags):
    validate_ags(ags)


@pytest.mark.parametrize(
    "ags",
    ["00123456", "17000000", "1234567", "123456789", "0100100a", " 01001000", ""],
)
def test_invalid_ags_is_rejected(ags):
    with pytest.raises(ValidationError):
        validate_ags(ags)


def test_municipality_with_invalid_ags_fails_validation(db):
    district = District.objects.get(key="01001")
    municipality = Municipality(ags="1001000", district=district, name="Flensburg")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "ags" in error.value.message_dict


def test_migration_ships_all_states_and_districts(db):
    assert State.objects.count() == 16
    assert District.objects.count() == 401
    keys = list(District.objects.values_list("key", flat=True))
    assert all(len(key) == 5 and key[:2] <= "16" for key in keys)
    flensburg = District.objects.get(key="01001")
    assert flensburg.kind == "Kreisfreie Stadt"
    assert flensburg.state.name == "Schleswig-Holstein"
    assert str(District.objects.get(key="09187")) == "Landkreis Rosenheim"
    assert District.objects.get(key="12073").state.name == "Brandenburg"
    assert District.objects.get(key="12073").population == 119552


def test_every_district_belongs_to_the_state_its_key_names(db):
    mismatched = [d.key for d in District.objects.all() if d.key[:2] != d.state_id]
    assert mismatched == []


def test_loading_reference_data_again_changes_nothing(db):
    District.objects.filter(key="09187").update(name="Falsch")
    call_command("load_reference_data")
    assert State.objects.count() == 16
    assert District.objects.count() == 401
    assert District.objects.get(key="09187").name == "Rosenheim"
