import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_organisation_on_every_row"),
        ("organisations", "__first__"),
    ]

    operations = [
        migrations.RunSQL(
            [
                "UPDATE feedback_answer SET organisation_id = (SELECT r.organisation_id FROM feedback_response r"
                " WHERE r.id = feedback_answer.response_id) WHERE organisation_id IS NULL",
                "UPDATE feedback_dimensionscore SET organisation_id = (SELECT r.organisation_id FROM"
                " feedback_response r WHERE r.id = feedback_dimensionscore.response_id) WHERE organisation_id IS NULL",
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="answer",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisations.organisation"
            ),
        ),
        migrations.AlterField(
            model_name="dimensionscore",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisations.organisation"
            ),
        ),
    ]
