from datetime import timedelta

from neighbourly.core.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    code_format,
    code_generate,
    code_hash,
    code_normalise,
    lock_duration,
)


def test_codes_use_only_unambiguous_characters():
    codes = {code_generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)


def test_typed_code_is_normalised_before_hashing():
    code = "ABCD2345"
    expected = code_hash(purpose="p", subject_id=1, code=code)
    assert code_hash(purpose="p", subject_id=1, code=" abcd-2345 ") == expected
    assert code_format(code) == "ABCD-2345"
    assert code_normalise("O1-il") == "0111"


def test_hash_is_bound_to_purpose_and_subject():
    hashes = {
        code_hash(purpose="claim", subject_id=1, code="ABCD2345"),
        code_hash(purpose="claim", subject_id=2, code="ABCD2345"),
        code_hash(purpose="business", subject_id=1, code="ABCD2345"),
    }
    assert len(hashes) == 3
    assert "ABCD2345" not in "".join(hashes)


def test_lock_grows_with_every_five_wrong_tries():
    assert [lock_duration(n) for n in (1, 4, 6, 9)] == [None, None, None, None]
    assert lock_duration(5) == timedelta(minutes=15)
    assert lock_duration(10) == timedelta(hours=1)
    assert lock_duration(15) == timedelta(hours=4)
    assert lock_duration(100) == timedelta(days=7)
