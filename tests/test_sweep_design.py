"""Sweep designs: parsing, validation against the declaration, sampling and hashing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from karstsim.experiments import sweep_design
from karstsim.experiments.cli import main
from karstsim.experiments.sweep_design import DesignError
from karstsim.model import parameters
from karstsim.model.parameters import InputError

HEAD = """
[sweep]
name = "t"
scenario = "plan14"
grid = "20x20"
years = "2020:2023"
"""


def design(body: str, head: str = HEAD):
    return sweep_design.parse(head + body, origin="design file d.toml")


def test_full_factorial_runs_every_combination_once_per_replicate():
    d = design(
        """sampler = "full_factorial"
replicates = 3
seed = 10
[parameters]
grazing_ban_severe = {}
afforestation_ha_per_year = { levels = [120000, 30000] }
enclosure_years = { range = [2, 10], steps = 3 }
"""
    )
    table = d.sample()
    assert len(table) == 2 * 2 * 3 * 3
    assert table["run_id"].tolist() == list(range(len(table)))
    combos = set(
        table[["grazing_ban_severe", "afforestation_ha_per_year", "enclosure_years"]].itertuples(
            index=False, name=None
        )
    )
    assert combos == set(itertools.product([False, True], [30000.0, 120000.0], [2, 6, 10]))
    assert table.groupby("sample")["seed"].apply(list).map(tuple).unique().tolist() == [
        (10, 11, 12)
    ]
    assert (table["seed"] == 10 + table["replicate"]).all()


@pytest.mark.parametrize(
    "sampler, extra, runs",
    [
        ("latin_hypercube", "samples = 7", 7),
        ("morris", "samples = 3\nmorris_levels = 6", 3 * (4 + 1)),
        ("sobol", "samples = 8", 8 * (2 * 4 + 2)),
        ("sobol", "samples = 8\nsecond_order = false", 8 * (4 + 2)),
    ],
)
def test_samplers_give_the_expected_runs_within_the_declared_ranges(sampler, extra, runs):
    d = design(
        f"""sampler = "{sampler}"
{extra}
replicates = 2
[parameters]
treatment_ha_per_year = {{ range = [10000, 300000], distribution = "loguniform" }}
grazing_pressure = {{ range = [0.2, 0.9], distribution = "triangular", mode = 0.8 }}
enclosure_years = {{ range = [1, 4] }}
grazing_ban_severe = {{}}
"""
    )
    table = d.sample()
    assert len(table) == 2 * runs
    assert table["treatment_ha_per_year"].between(10000, 300000).all()
    assert table["grazing_pressure"].between(0.2, 0.9).all()
    assert set(table["enclosure_years"]) <= {1, 2, 3, 4}
    assert table["enclosure_years"].dtype == np.int64
    assert table["grazing_ban_severe"].dtype == bool
    assert table["grazing_ban_severe"].nunique() == 2
    # replicates of a sample share its parameters
    assert (table.groupby("sample")["grazing_pressure"].nunique() == 1).all()


def test_sampling_is_deterministic_and_the_hash_tracks_what_changes_results():
    body = """sampler = "latin_hypercube"
samples = 5
seed = 4
[parameters]
grazing_pressure = {}
"""
    a, b = design(body), design(body)
    assert a.sample().equals(b.sample())
    assert a.hash == b.hash
    assert design(body.replace("seed = 4", "seed = 5")).hash != a.hash
    assert design(body.replace("{}", "{ range = [0, 0.5] }")).hash != a.hash
    assert design(body, head=HEAD.replace('"t"', '"renamed"')).hash == a.hash
    assert design(body, head=HEAD.replace("2020:2023", "2020:2024")).hash != a.hash
    with_fixed = design(body + "[fixed]\ngrass_years = 6\n")
    assert with_fixed.hash != a.hash
    assert with_fixed.run_parameters(with_fixed.sample().iloc[0])["grass_years"] == 6


def test_integer_factors_give_every_integer_its_share():
    factor = sweep_design.Factor("enclosure_years", "int", low=1, high=4)
    values = factor.from_unit(np.linspace(0, 1, 4001))
    counts = np.bincount(values)[1:]
    assert counts.tolist() == pytest.approx([1000, 1000, 1000, 1000], abs=2)
    assert np.all(np.diff(values) >= 0)


def test_triangular_and_normal_concentrate_near_their_peak():
    unit = np.linspace(0.0005, 0.9995, 1000)
    tri = sweep_design.Factor(
        "x", "float", low=0.0, high=1.0, distribution="triangular", shape={"mode": 0.9}
    )
    assert np.median(tri.from_unit(unit)) == pytest.approx(np.sqrt(0.9 / 2), abs=0.005)
    normal = sweep_design.Factor(
        "x", "float", low=0.0, high=1.0, distribution="normal", shape={"mean": 0.3, "sd": 0.05}
    )
    values = normal.from_unit(unit)
    assert np.median(values) == pytest.approx(0.3, abs=0.005)
    assert values.min() >= 0.0 and values.max() <= 1.0


def test_vary_roles_reads_the_declaration():
    d = design('sampler = "morris"\nsamples = 2\nvary_roles = ["lever"]\n')
    levers = [p.name for p in parameters.PARAMETERS.values() if p.role == "lever"]
    assert d.factor_names == levers
    d2 = design(
        'sampler = "morris"\nsamples = 2\nvary_roles = ["lever"]\n'
        'exclude = ["treatment_ha_per_year"]\n[fixed]\nenclosure_years = 3\n'
    )
    assert d2.factor_names == [
        n for n in levers if n not in ("treatment_ha_per_year", "enclosure_years")
    ]


@pytest.mark.parametrize(
    "body, message",
    [
        (
            'sampler = "latin_hypercube"\nsamples = 3\n[parameters]\ngrazing_presure = {}\n',
            "[parameters] grazing_presure: unknown parameter 'grazing_presure'; did you mean grazing_pressure",
        ),
        (
            'sampler = "latin_hypercube"\nsamples = 3\n[parameters]\ngrazing_pressure = { range = [0, 2] }\n',
            "[parameters] grazing_pressure: range [0, 2]: parameter grazing_pressure: 2 is out of range",
        ),
        (
            'sampler = "latin_hypercube"\nsamples = 3\n[parameters]\nenclosure_years = { range = [1, 2.5] }\n',
            "not a valid int",
        ),
        (
            'sampler = "latin_hypercube"\nsamples = 3\n[parameters]\ngrazing_pressure = { range = [0.5, 0.5] }\n',
            "low must be below high",
        ),
        (
            'sampler = "grid"\n[parameters]\ngrazing_pressure = {}\n',
            "[sweep] sampler 'grid'; allowed: full_factorial, latin_hypercube, sobol, morris",
        ),
        ("[parameters]\ngrazing_pressure = {}\n", "[sweep] sampler missing"),
        (
            'sampler = "sobol"\nsamples = 10\n[parameters]\ngrazing_pressure = {}\ngrass_years = {}\n',
            "needs a power of 2 (e.g. 16)",
        ),
        (
            'sampler = "full_factorial"\n[parameters]\ngrazing_pressure = {}\n',
            "full_factorial needs levels = [...] or steps = n",
        ),
        ('sampler = "morris"\n[parameters]\ngrazing_pressure = {}\n', "samples is missing"),
        (
            'sampler = "morris"\nsamples = 2\nmorris_levels = 5\n[parameters]\ngrazing_pressure = {}\n',
            "must be even",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = { distribution = "beta" }\n',
            "unknown distribution 'beta'",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = { distribution = "triangular" }\n',
            "distribution triangular takes mode",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_ban_severe = { range = [0, 1] }\n',
            "give either levels or a range",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_ban_severe = { levels = [true] }\n',
            "needs at least 2 levels",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = 0.5\n',
            "must be a table",
        ),
        (
            'sampler = "morris"\nsamples = 2\nkeep = "all"\n[parameters]\ngrazing_pressure = {}\n',
            "[sweep] keep 'all'; allowed: final, yearly, both",
        ),
        (
            'sampler = "morris"\nsamples = 2\nworkers = 3\n[parameters]\ngrazing_pressure = {}\n',
            "[sweep] unknown key(s) ['workers']",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = {}\n[fixed]\ngrazing_pressure = 0.5\n',
            "[parameters] grazing_pressure is also in [fixed]",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = {}\n[fixed]\nrangerz = 5\n',
            "[fixed] rangerz: unknown parameter",
        ),
        (
            'sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = {}\n[extra]\n',
            "unknown section(s) ['extra']",
        ),
        ('sampler = "morris"\nsamples = 2\nvary_roles = ["policy"]\n', "unknown role 'policy'"),
        ('sampler = "morris"\nsamples = 2\n', "no parameters to vary"),
        ('sampler = "morris"\nsamples = 2\n[parameters\n', "not valid TOML"),
        (
            'sampler = "latin_hypercube"\nsamples = 20\n[parameters]\ngrass_years = { range = [2, 15] }\n'
            "shrub_years = { range = [6, 30] }\n",
            "is not a valid run: parameters grass_years < shrub_years < forest_years must hold",
        ),
    ],
)
def test_bad_designs_name_the_file_and_the_entry(body, message):
    with pytest.raises(DesignError) as info:
        design(body).sample()
    text = str(info.value)
    assert text.startswith("design file d.toml: ")
    assert message in text
    assert "\n" not in text
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize(
    "head, message",
    [
        (HEAD.replace('"20x20"', '"huge"'), "[sweep] grid: grid 'huge' is not a preset"),
        (HEAD.replace('"plan14"', '"plan99"'), "[sweep] scenario: scenario 'plan99' is neither"),
        (HEAD.replace("2020:2023", "2019:2023"), "[sweep] years: start year 2019 has no observed"),
        (HEAD.replace("2020:2023", "2020:2010"), "need start ≤ end"),
    ],
)
def test_bad_run_settings_are_refused(head, message):
    with pytest.raises(DesignError, match=r"^design file d\.toml: ") as info:
        design('sampler = "morris"\nsamples = 2\n[parameters]\ngrazing_pressure = {}\n', head)
    assert message in str(info.value)


def test_scenario_files_are_found_next_to_the_design(tmp_path):
    (tmp_path / "mine.toml").write_text(
        '[scenario]\nname = "mine"\n[parameters]\ngrazing_pressure = 0.3\n', "utf-8"
    )
    (tmp_path / "d.toml").write_text(
        '[sweep]\nscenario = "mine.toml"\nsampler = "morris"\nsamples = 2\n'
        "[parameters]\nenclosure_years = {}\n",
        "utf-8",
    )
    d = sweep_design.load(tmp_path / "d.toml")
    assert d.scenario.name == "mine"
    assert d.run_parameters(d.sample().iloc[0])["grazing_pressure"] == 0.3


@pytest.mark.parametrize("name", sweep_design.shipped_names())
def test_shipped_designs_are_valid(name):
    d = sweep_design.load(name)
    assert d.sampler in (("latin_hypercube",) if d.policies else ("morris", "sobol"))
    assert len(d.sample()) == d.runs > 0
    assert d.keeps_yearly


def test_shipped_designs_exist():
    shipped = set(sweep_design.shipped_names())
    assert {"levers_morris", "levers_sobol", "policies_xlrm"} <= shipped


def test_cli_reports_a_bad_design_in_one_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[sweep]\nsampler = "morris"\nsamples = 2\n[parameters]\ntreatment_ha_per_year = '
        "{ range = [0, 900000] }\n",
        "utf-8",
    )
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"karstsim sweep: error: design file {path}: [parameters] ")
    assert "treatment_ha_per_year" in err and "out of range" in err
    assert len(err.splitlines()) == 1
    assert main(["sweep", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize(
    "body",
    [
        'sampler = "latin_hypercube"\nsamples = 4294967296\n',
        'sampler = "latin_hypercube"\nsamples = 10\nreplicates = 1000000000000\n',
        'sampler = "morris"\nsamples = 400000\n',
    ],
)
def test_a_design_too_large_to_sample_is_refused_before_sampling(body):
    with pytest.raises(DesignError, match=r"runs; a sweep holds at most 1,000,000 runs"):
        design(body + "[parameters]\ngrazing_pressure = {}\ntreatment_ha_per_year = {}\n")
    assert (
        len(
            design(
                'sampler = "morris"\nsamples = 3\n[parameters]\ngrazing_pressure = {}\n'
            ).sample()
        )
        == 6
    )


def test_lhs_is_another_name_of_latin_hypercube():
    text = """
[sweep]
sampler = "{}"
samples = 3
grid = "10x10"
[parameters]
grazing_pressure = {{ range = [0.4, 1.0] }}
"""
    by_alias = sweep_design.parse(text.format("lhs"))
    assert by_alias.sampler == "latin_hypercube"
    assert by_alias.hash == sweep_design.parse(text.format("latin_hypercube")).hash
