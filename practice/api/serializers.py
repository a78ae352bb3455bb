from rest_framework import serializers

from practice.accounts.models import User
from practice.core.models import PracticeProfile


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", max_length=150, allow_blank=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "role"]
        read_only_fields = ["id", "email", "role"]


class PracticeProfileSerializer(serializers.ModelSerializer):
    time_zone = serializers.CharField(help_text="An IANA time zone name, e.g. America/New_York.")

    class Meta:
        model = PracticeProfile
        fields = ["name", "tagline", "phone", "email", "address", "hours", "time_zone"]
        read_only_fields = fields
