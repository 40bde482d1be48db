s|classe\.</appreciation>|classe 😀.</appreciation>|
