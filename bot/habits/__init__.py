"""Habits that stick: a personal weekly goal and its streak, a pause, a workspace's closing weeks, one-click logging.

`goals` holds the pure rules (what a goal, a streak, a pause and a closing week are); `progress` reads the
store for them; `buttons` are the one-click logging buttons every nudge and the App Home carry; `quick`
answers a click on one of them.
"""
