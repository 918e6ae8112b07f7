import pytest
from django.core.management import CommandError, call_command

from lianqing.intake import keys
from lianqing.intake.errors import IntakeError


def test_sealed_data_opens_only_with_the_passphrase(tmp_path, settings):
    settings.KEYS_DIR = tmp_path
    keys.keypair_create(passphrase="a long demo passphrase", limits=keys.INTERACTIVE_LIMITS)
    box = keys.seal_json({"name": "欧阳举报"})
    assert "欧阳举报".encode() not in box
    private = keys.private_key_unlock("a long demo passphrase")
    assert keys.unseal_json(private, box) == {"name": "欧阳举报"}
    with pytest.raises(IntakeError, match="口令不正确"):
        keys.private_key_unlock("a wrong passphrase!!")
    # the private key file holds nothing usable without the passphrase
    assert bytes(private).hex() not in (tmp_path / keys.PRIVATE_KEY_FILE).read_text()


def test_existing_keys_are_not_replaced_by_accident(tmp_path, settings):
    settings.KEYS_DIR = tmp_path
    keys.keypair_create(passphrase="first passphrase 1", limits=keys.INTERACTIVE_LIMITS)
    with pytest.raises(IntakeError, match="已有密钥"):
        keys.keypair_create(passphrase="second passphrase 2", limits=keys.INTERACTIVE_LIMITS)


def test_command_init_and_check(tmp_path, settings, monkeypatch, capsys):
    settings.KEYS_DIR = tmp_path
    monkeypatch.setenv("LQ_TEST_PASSPHRASE", "command passphrase 42")
    call_command("intake_keys", "init", passphrase_env="LQ_TEST_PASSPHRASE")
    call_command("intake_keys", "check", passphrase_env="LQ_TEST_PASSPHRASE")
    assert "口令正确" in capsys.readouterr().out
    monkeypatch.setenv("LQ_TEST_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="口令不正确"):
        call_command("intake_keys", "check", passphrase_env="LQ_TEST_PASSPHRASE")
