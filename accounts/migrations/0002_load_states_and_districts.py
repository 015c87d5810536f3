from django.db import migrations


def load(apps, schema_editor):
    from accounts.reference_data import load_reference_data

    load_reference_data(apps.get_model("accounts", "State"), apps.get_model("accounts", "District"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
