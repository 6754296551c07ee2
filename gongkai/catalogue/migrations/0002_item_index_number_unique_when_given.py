# Drafts carry no 索引号 (""): only index numbers actually given are unique per agency.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='item',
            name='item_unique_index_number',
        ),
        migrations.AddConstraint(
            model_name='item',
            constraint=models.UniqueConstraint(condition=models.Q(('index_number', ''), _negated=True), fields=('agency', 'index_number'), name='item_unique_index_number'),
        ),
    ]
