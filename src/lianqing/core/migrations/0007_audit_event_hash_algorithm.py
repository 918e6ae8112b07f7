"""Each audit row records its hash family: SHA-256 (every row so far) or SM3 (LIANQING_CRYPTO=sm)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_role_grant_liaison_choice'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='hash_algorithm',
            field=models.CharField(db_default='sha256', default='sha256', editable=False, max_length=16),
        ),
    ]
