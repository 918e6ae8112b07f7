import statistics
import time

from lianqing.intake.receipts import (
    RECEIPT_HASHER,
    receipt_grouped,
    receipt_hash,
    receipt_new,
    receipt_normalise,
    receipt_verify,
)


def test_receipt_is_16_digits_shown_in_groups_of_four():
    receipt = receipt_new()
    assert len(receipt.code) == 16
    assert receipt.code.isdigit()
    assert receipt_grouped("1234567812345678") == "1234 5678 1234 5678"


def test_typed_receipts_are_normalised_and_mistyped_ones_refused():
    assert receipt_normalise(" 1234 5678-1234 5678 ") == "1234567812345678"
    assert receipt_normalise("１２３４５６７８１２３４５６７８") == "1234567812345678"  # full-width digits
    assert receipt_normalise("1234 5678 1234 567") is None
    assert receipt_normalise("1234 5678 1234 567a") is None


def test_hash_uses_owasp_minimum_argon2id_and_verifies():
    code = receipt_new().code
    stored = receipt_hash(code)
    assert stored.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in stored
    assert (RECEIPT_HASHER.memory_cost, RECEIPT_HASHER.time_cost, RECEIPT_HASHER.parallelism) == (19456, 2, 1)
    assert receipt_verify(stored, code)
    assert not receipt_verify(stored, "0" * 16)
    assert not receipt_verify(None, code)
    assert not receipt_verify(None, None)


def test_unknown_and_wrong_codes_cost_the_same_argon2_work():
    stored = receipt_hash("1111222233334444")

    def median_seconds(stored_hash, code):
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            receipt_verify(stored_hash, code)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    wrong = median_seconds(stored, "1111222233334445")
    unknown = median_seconds(None, "9999222233334445")
    mistyped = median_seconds(None, None)
    # All three do one argon2id verification (milliseconds); no path is an order of magnitude cheaper.
    assert unknown > wrong / 3
    assert mistyped > wrong / 3
    assert wrong > 0.002
