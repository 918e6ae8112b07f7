"""The collision rule library (RULES.md): one DuckDB SQL file per rule, read by the engine.

Writing a rule
--------------
`<id>.sql` opens with a YAML block comment holding the rule's metadata:

    /*
    id: B03
    name: 死亡人员冒领补贴
    severity: 高                      # default; a rule may decide per record in its `severity` column
    category: public_interest         # the platform's case category of its leads (library.CATEGORIES)
    datasets: [benefits, deaths]      # all required: the rule is skipped when one is absent
    optional_datasets: [persons]      # used when present (absent ones are empty tables)
    subject: person_id                # person_id / account_no subjects are masked in explanations
    when: month                       # how the explanation states the time: month, day or none
    params:
      grace_months: {type: integer, default: 0, min: 0, description: ...}
    explanation: "{who}{detail}，{when}仍发放补贴{count}笔，共计{amount}。"
    */

followed by one SELECT returning, one row per offending record, the columns
subject_id, subject_name, record_id, amount, day, evidence_id, severity, detail
(engine/library.py EVIDENCE_COLUMNS). Parameters are written `$name` and bound by the driver.
The engine groups the rows to one hit per subject: amount sums each record_id once, record_ids
lists record_id and evidence_id values sorted, and the explanation template gets `who`, `name`,
`id`, `detail` (distinct details joined by "；"), `when`, `count` (records) and `amount`.

Record keys
-----------
record_id and evidence_id are `dataset:key`, key being the dataset's key columns of contract.py;
a compound key joins its columns with '|' in that order. Rules never spell them out: the engine
generates one macro per dataset from the contract, `<dataset>_key(key columns…)`, e.g.
`benefits_key(b.record_id)`, `officials_key(o.person_id, o.org_code, o.start_date)` (giving
`officials:person_id|org_code|start_date`), `payroll_key(p.person_id, p.org_code, p.period)`.

Shared definitions
------------------
`shared/macros.sql` (in_post, period_start, day_index, second_index, mask_id, GB 11643 checks),
the record-key macros, and
`shared/views.sql` (close_relatives, subsistence_benefits, linked_benefits, official_terms, company_people,
official_links, managed_parties, managed_transactions, checked_declarations) are written once; the engine also
builds `calendar` (rest days and festivals from chinese_calendar) and `package_datasets`.
"""
