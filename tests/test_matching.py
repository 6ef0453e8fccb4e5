"""Caption -> recipe matching on paraphrases that avoid the recipe's own name, and
caption modifiers parsed exactly."""
import pytest

import engine
from engine.rendering.procedural import modifiers

PARAPHRASES = [
    ("the ship's canvas sails snapping in a gale", "flap"),
    ("a flock of chickens clucking around the coop", "cluck"),
    ("mission control crackling over the radio", "radio"),
    ("she strikes a match in the dark", "match_strike"),
    ("a wizard's magic spell shimmering in the air", "wind_chimes"),
    ("the wounded soldier groans in pain", "moan"),
    ("a carpenter sawing a plank", "saw"),
    ("a chainsaw roaring through a log", "saw"),
    ("someone hammering nails into a fence", "hammer"),
    ("a power drill boring into the wall", "drill"),
    ("hoovering the living room carpet", "vacuum"),
    ("the toilet flushes", "flush"),
    ("a ball bouncing on the court", "ball_bounce"),
    ("unzipping a tent", "zipper"),
    ("a lion roars in the savannah", "roar"),
    ("ducks quacking on the pond", "quack"),
    ("a pig grunting in the mud", "oink"),
    ("a horse whinnies in the stable", "neigh"),
    ("ravens cawing from the rooftops", "caw"),
    ("a ghostly wail echoing through the hall", "moan"),
    ("an elephant trumpets loudly", "elephant_trumpet"),
    ("humpback whales singing in the deep", "whale_song"),
    ("monkeys chattering in the trees", "monkey"),
    ("an arrow whizzing past", "whoosh"),
    ("the rocket blasts off from the pad", "jet"),
    ("the heart monitor flatlines", "alarm_beep"),
    ("soup bubbling away in a big pot", "boiling"),
    ("a shopping trolley rolling across the car park", "rolling"),
    ("wheels of a suitcase clattering over tiles", "rolling"),
    ("a driver blasting the car horn at the crossing", "horn"),
    ("the ferry's deep horn booming across the harbour", "horn"),
    ("a taxi honking impatiently", "horn"),
    ("a man bursting into hearty laughter", "laugh"),
    ("a little girl giggling uncontrollably", "laugh"),
    ("two children whispering secrets under the blanket", "whisper"),
    ("hushed voices murmuring a secret", "whisper"),
    ("an old man with a hacking cough", "cough"),
    ("someone clearing their throat and coughing", "cough"),
    ("a torrential downpour drumming on the ground", "rain"),
    ("drizzle pattering against the window", "rain"),
    ("a deep rumble rolls across the sky after the lightning", "thunder"),
    ("gusts howling around the chimney", "wind"),
    ("surf crashing on the beach and receding over pebbles", "ocean_waves"),
    ("a babbling brook over smooth stones", "stream"),
    ("a leaky tap plinking into a sink", "water_drips"),
    ("filling a glass jug from a jug of water", "pouring"),
    ("embers popping in the hearth", "fire"),
    ("songbirds chirping at sunrise", "birds"),
    ("crickets chirping on a summer night", "insects"),
    ("bullfrogs croaking by the pond", "frogs"),
    ("someone walking across creaky floorboards", "footsteps"),
    ("an old hinge groaning as it slowly swings", "door_creak"),
    ("someone raps on the front door", "door_knock"),
    ("a door banged shut in anger", "door_slam"),
    ("the grandfather clock in the hall counting seconds", "clock_tick"),
    ("an old telephone ringing on the desk", "phone_ring"),
    ("fingers clattering on a keyboard", "typing"),
    ("a window pane shattering into pieces", "glass_break"),
    ("the teapot on the stove starts to shriek", "kettle_whistle"),
    ("pages of a newspaper being turned and crumpled", "paper_rustle"),
    ("a V8 idling then revving", "car_engine"),
    ("a car zooms past on the road", "car_passby"),
    ("rush hour on a busy avenue with honking", "traffic"),
    ("a locomotive clattering over the rails", "train"),
    ("rotor blades chopping overhead", "helicopter"),
    ("an airliner roaring overhead", "jet"),
    ("the low drone of a refrigerator", "motor_hum"),
    ("an ambulance wailing down the street", "siren"),
    ("a smoke detector chirping insistently", "alarm_beep"),
    ("a pounding pulse in the chest", "heartbeat"),
    ("someone panting after a long run", "breathing"),
    ("a room full of people chatting", "crowd_murmur"),
    ("the audience claps enthusiastically", "applause"),
    ("a hound woofing at the gate", "dog_bark"),
    ("a kitten mewing for food", "cat_meow"),
    ("a horse trotting on cobblestones", "horse_hooves"),
    ("a cockerel greeting the morning", "rooster"),
    ("a night bird hooting in the barn", "owl"),
    ("a huge blast as the bomb detonates", "explosion"),
    ("a pistol fired twice", "gunshot"),
    ("a heavy sack dropped onto the floor", "impact_thud"),
    ("a sword swishing through the air", "whoosh"),
    ("cathedral bells pealing at noon", "church_bell"),
    ("tinkling chimes on the porch in the breeze", "wind_chimes"),
    ("a ray gun firing in a space battle", "laser"),
    ("a menu selection beep in a video game", "ui_blip"),
    ("a video game character collecting a bonus, rising arpeggio", "power_up"),
    ("the quiet hum of an empty room", "room_tone"),
    ("muffled bubbling beneath the surface of the sea", "underwater"),
    ("water dripping and echoing deep inside a cavern", "cave_ambience"),
    ("leaves rustling and birds in the woods", "forest_ambience"),
    ("the bustle of downtown streets", "city_ambience"),
    ("a gentle orchestral score, soft strings", "music_pad"),
    # voices, farm animals, kitchen, combat, vehicles, cartoon
    ("a girl lets out a terrified scream", "scream"),
    ("someone shrieking in the haunted house", "scream"),
    ("a piercing scream echoes down the corridor", "scream"),
    ("the victim screamed in agony", "scream"),
    ("a man yells at the driver", "shout"),
    ("someone calling out from across the valley", "shout"),
    ("a sailor hollers to the crew", "shout"),
    ("someone shouts for help", "shout"),
    ("an infant wailing in the next room", "baby_cry"),
    ("a toddler bawling at bedtime", "baby_cry"),
    ("a person sobbing softly", "baby_cry"),
    ("she is crying quietly", "baby_cry"),
    ("cattle lowing in the meadow", "cow_moo"),
    ("a dairy cow moos at milking time", "cow_moo"),
    ("a bull bellows across the farmyard", "cow_moo"),
    ("lambs baaing on the hillside", "sheep_bleat"),
    ("a goat bleating in the pen", "sheep_bleat"),
    ("the flock of ewes calling in the field", "sheep_bleat"),
    ("bacon sizzling in a skillet", "sizzle"),
    ("onions frying in butter", "sizzle"),
    ("hot oil spitting in the wok", "sizzle"),
    ("steak searing on the grill", "sizzle"),
    ("someone dicing onions on a board", "chopping"),
    ("a chef mincing garlic", "chopping"),
    ("a butcher hacking through meat with a cleaver", "chopping"),
    ("slicing carrots in the kitchen", "chopping"),
    ("steel blades ringing as the knights fight", "sword_clang"),
    ("two fencers clash with their sabres", "sword_clang"),
    ("a katana unsheathed with a ring", "sword_clang"),
    ("clanging swords in a medieval battle", "sword_clang"),
    ("tires squeal as the car swerves", "tyre_screech"),
    ("a car skids to a stop", "tyre_screech"),
    ("wheels squealing as the getaway car takes the corner", "tyre_screech"),
    ("squealing brakes of a bus", "tyre_screech"),
    ("a comedic sproing sound", "boing"),
    ("a bouncy spring effect in an animation", "boing"),
    ("a jaw harp twang", "boing"),
    ("the clown's shoes go boing", "boing"),
    # steam and compressed-air hiss
    ("compressed air escaping from a hose", "steam_hiss"),
    ("the lorry's air brakes let go with a sharp psssh", "steam_hiss"),
    ("the barista froths milk with the espresso machine's wand", "steam_hiss"),
    ("air slowly leaking from a punctured tyre", "steam_hiss"),
]


@pytest.fixture(scope="module")
def results():
    return {cap: engine.match(cap) for cap, _ in PARAPHRASES}


def test_paraphrase_accuracy(results):
    wrong = [(cap, want, results[cap]["recipe"]) for cap, want in PARAPHRASES if results[cap]["recipe"] != want]
    # the whole catalog is covered; allow a small number of misses, and report them
    assert len(wrong) <= len(PARAPHRASES) // 10, wrong


def test_every_recipe_is_reachable_by_a_paraphrase():
    from engine.rendering.procedural.recipes import catalog
    assert {want for _, want in PARAPHRASES} == set(catalog())


@pytest.mark.parametrize("caption,want", [
    ("calling out", "shout"), ("someone shouts", "shout"), ("a man yells", "shout"),
    ("crying", "baby_cry"), ("sobbing", "baby_cry"),
])
def test_voice_captions_match_a_voice_not_a_fallback(caption, want):
    m = engine.match(caption)
    assert m["recipe"] == want and not m["fallback"], m


@pytest.mark.parametrize("caption,want", [
    # hiss, steam and air-release captions go to the jet-noise recipe ...
    ("steam hissing", "steam_hiss"), ("an espresso machine hisses", "steam_hiss"),
    ("steam hissing from a locomotive's valves", "steam_hiss"), ("a radiator hissing", "steam_hiss"),
    ("air brakes hissing", "steam_hiss"), ("a pressure cooker hissing", "steam_hiss"),
    ("a tyre hissing as air leaks out", "steam_hiss"), ("the bus pulls in with a hiss of air brakes", "steam_hiss"),
    # ... without taking the neighbours' captions
    ("a kettle whistling", "kettle_whistle"), ("a kettle hissing on the stove", "kettle_whistle"),
    ("bacon sizzling", "sizzle"), ("a steam train chugging", "train"), ("tyres screeching", "tyre_screech"),
    ("squealing brakes of a bus", "tyre_screech"), ("a cat hissing", "cat_meow"),
])
def test_steam_and_air_hiss_captions(caption, want):
    m = engine.match(caption)
    assert m["recipe"] == want and not m["fallback"], m


def test_a_sports_match_is_not_a_matchstick():
    assert engine.match("a football match")["recipe"] != "match_strike"
    assert engine.match("a tennis match")["recipe"] != "match_strike"


def test_a_snake_hisses_like_air_but_a_cat_stays_a_cat():
    # a snake's hiss is air forced through a narrow opening: the steam/air hiss model, named
    # explicitly; a cat's hiss keeps the cat's voice
    m = engine.match("a snake hissing")
    assert m["recipe"] == "steam_hiss" and not m["fallback"], m
    assert engine.match("a cat hissing")["recipe"] == "cat_meow"
    assert engine.match("a kettle hissing on the stove")["recipe"] == "kettle_whistle"


@pytest.mark.parametrize("caption", ["jazz playing", "a piano plays softly", "a violin solo", "an orchestra swells",
                                     "a trumpet fanfare", "a choir sings a hymn"])
def test_instrument_and_genre_captions_get_music_not_a_texture(caption):
    m = engine.match(caption)
    assert m["recipe"] == "music_pad" and not m["fallback"], m


def test_low_confidence_falls_back_to_a_texture_and_says_so():
    m = engine.match("quantum entanglement of abstract feelings")
    assert m["fallback"] is True and "low confidence" in m["note"]
    from engine.rendering.procedural.recipes import catalog
    assert catalog()[m["recipe"]].texture


@pytest.mark.parametrize("caption,expected", [
    ("someone knocks three times on the door", {"count": 3}),
    ("the bell tolls twelve times", {"count": 12}),
    ("a dog barks twice", {"count": 2}),
    ("5 gunshots in a row", {"count": 5}),
    ("a single knock", {"count": 1}),
    ("heavy rain", {"intensity": 0.75}),
    ("a violent storm", {"intensity": 0.92}),
    ("light drizzle", {"intensity": 0.25}),
    ("distant thunder", {"distance": "far"}),
    ("a fly buzzing close to the ear", {"distance": "close"}),
    ("footsteps on gravel", {"surface": "gravel"}),
    ("walking slowly across wooden floorboards", {"surface": "wood", "rate": 0.55}),
    ("rapid footsteps in the snow", {"surface": "snow", "rate": 1.6}),
    ("a huge bell", {"size": 0.85}),
    ("a tiny bell", {"size": 0.15}),
    ("rain heard from inside the kitchen", {"indoor": True}),
])
def test_modifiers(caption, expected):
    got = modifiers.parse(caption)
    for k, v in expected.items():
        assert got.get(k) == v, (caption, got)


def test_counts_do_not_come_from_unrelated_numbers():
    assert modifiers.parse_count("a dog barks at 3 am") is None
    assert modifiers.parse_count("two dogs bark") is None
    assert modifiers.parse_count("knocks three times") == 3
