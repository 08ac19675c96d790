"""The scheduling clock follows the wall clock forward and never goes back."""

from bot.notifications.clock import SchedulingClock


class Fake:
    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> float:
        return self.value


def test_follows_the_wall_clock_and_ignores_a_jump_back() -> None:
    wall, steady = Fake(1_000_000.0), Fake(50.0)
    clock = SchedulingClock(wall, steady)
    assert clock() == 1_000_000.0
    wall.value, steady.value = 1_000_010.0, 60.0
    assert clock() == 1_000_010.0
    wall.value, steady.value = 996_400.0, 61.0  # set back by an hour
    assert clock() == 1_000_011.0  # goes on counting
    steady.value = 70.0
    assert clock() == 1_000_020.0
    wall.value, steady.value = 1_100_000.0, 71.0  # set forward: followed
    assert clock() == 1_100_000.0
