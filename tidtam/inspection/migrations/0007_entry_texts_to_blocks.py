"""Text typed as entries in sub-sections a crosswalk topic's blocks fill becomes those blocks.

Nothing is dropped: an entry whose words the unit's blocks already hold adds
nothing, other words are kept as a further block, and an entry a sent report
printed (or whose line a compiler reworded) stays where it was printed.
"""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    from tidtam.inspection.words import move_entry_texts

    move_entry_texts(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0006_drop_own_metamodel"),
        ("narratives", "0001_blocks"),
        ("frameworks", "0009_inspection_form_nodes"),
        ("measures", "0001_register_and_observations"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
