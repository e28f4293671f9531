"""Demo SDG tags: the generated manual tags, plus the tagger's suggestions on the demo texts.

The generator's keyword/model rows were only labels; here every automatic tag comes from running
the SDG tagger (pipelines.tagging) on the activity and output texts of the tagged entities, and a
seeded share of them is marked accepted or rejected, as a reviewer would (strong ones more often
accepted). Each tagged entity keeps exactly one primary goal, never a rejected one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.tagging.run import tag_texts
from schemas import ENTITIES


def _texts(sdg: pd.DataFrame, activities: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """Return entity_type, entity_id, text of the activities and outputs the generator tagged."""
    act = activities[["activity_id", "title", "description"]].rename(
        columns={"activity_id": "entity_id"}
    )
    act["text"] = act["title"].str.cat(act["description"].fillna(""), sep=". ")
    act["entity_type"] = "activity"
    out = outputs[["output_id", "title"]].rename(
        columns={"output_id": "entity_id", "title": "text"}
    )
    out["entity_type"] = "output"
    both = pd.concat([act, out], ignore_index=True)[["entity_type", "entity_id", "text"]]
    tagged = sdg[["entity_type", "entity_id"]].drop_duplicates()
    return both.merge(tagged, on=["entity_type", "entity_id"])


def _suggest_unique(texts: pd.DataFrame, manual: pd.DataFrame) -> pd.DataFrame:
    """Return tag_texts rows for the texts, scoring each distinct text once."""
    distinct = texts.drop_duplicates("text").assign(entity_type="activity")
    distinct["entity_id"] = [f"t{i}" for i in range(len(distinct))]
    rows, _, _ = tag_texts(distinct, None)
    rows = rows.merge(distinct[["entity_id", "text"]], on="entity_id").drop(
        columns=["entity_type", "entity_id", "is_primary"]
    )
    rows = texts.merge(rows, on="text").drop(columns="text")
    keys = ["entity_type", "entity_id", "goal", "target_id"]
    taken = manual[keys].assign(_manual=True)
    rows = rows.merge(taken, on=keys, how="left")
    return rows[rows["_manual"].isna()].drop(columns="_manual")


def demo_sdg_tags(
    generated: pd.DataFrame,
    activities: pd.DataFrame,
    outputs: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return the demo sdg_alignment rows: generated manual tags + tagger suggestions, reviewed."""
    columns = ENTITIES["sdg_alignment"].columns
    manual = generated[generated["method"] == "manual"].copy()
    manual["evidence"] = None
    manual["method_version"] = None
    auto = _suggest_unique(_texts(generated, activities, outputs), manual)
    n = len(auto)
    draw = rng.random(n)
    strong_share = np.where(auto["score"].to_numpy(dtype=float) >= 0.6, 0.7, 0.35)
    auto["status"] = np.where(
        draw < strong_share, "accepted", np.where(draw > 0.85, "rejected", "suggested")
    )
    auto["is_primary"] = False
    tags = pd.concat([manual[columns], auto[columns]], ignore_index=True)
    return _one_primary(tags)[columns]


def _one_primary(tags: pd.DataFrame) -> pd.DataFrame:
    """Return the tags with exactly one primary goal-level tag per entity, never a rejected one.

    The primary is the entity's best goal-level tag: not rejected, manual, highest score, lowest
    goal first; when every goal-level tag of an entity was rejected, its best one is accepted.
    """
    keys = ["entity_type", "entity_id", "goal"]
    has_goal_row = tags.loc[tags["target_id"].isna(), keys].drop_duplicates()
    implied = (
        tags[tags["target_id"].notna()]
        .drop_duplicates(keys)
        .merge(has_goal_row.assign(_has=True), on=keys, how="left")
    )
    implied = implied[implied["_has"].isna()].drop(columns="_has")
    # a target tag without its goal-level tag: the goal-level tag it implies, as reviewed
    implied = implied.assign(target_id=None, status="accepted")
    tags = pd.concat([tags, implied[tags.columns]], ignore_index=True)
    goal_level = tags[tags["target_id"].isna()]
    order = pd.DataFrame(
        {
            "rejected": goal_level["status"].eq("rejected"),
            "auto": goal_level["method"].ne("manual"),
            "score": -goal_level["score"].astype("Float64").fillna(1.0),
            "goal": goal_level["goal"],
        }
    ).sort_values(["rejected", "auto", "score", "goal"], kind="stable")
    firsts = goal_level.loc[order.index].groupby(["entity_type", "entity_id"]).head(1).index
    tags["is_primary"] = False
    tags.loc[firsts, "is_primary"] = True
    tags.loc[firsts, "status"] = tags.loc[firsts, "status"].replace("rejected", "accepted")
    return tags.sort_values(["entity_type", "entity_id", "goal"], kind="stable").reset_index(
        drop=True
    )
