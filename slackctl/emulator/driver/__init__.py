"""The user you can drive (post, click, submit...), the view state it builds and waiting on the bus."""
