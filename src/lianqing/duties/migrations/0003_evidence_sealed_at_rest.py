"""Evidence files sealed at rest: a scheme column, and the files stored in clear until now sealed
with the instance's evidence key (`duties.sealing`)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from lianqing.duties import sealing

    Evidence = apps.get_model("duties", "Evidence")
    for evidence in Evidence.objects.filter(scheme="").only("pk", "data").iterator(chunk_size=100):
        Evidence.objects.filter(pk=evidence.pk).update(
            data=sealing.seal(bytes(evidence.data)), scheme=sealing.SCHEME
        )


class Migration(migrations.Migration):
    dependencies = [("duties", "0002_liaison_role_group")]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="scheme",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
